// An independent verifier for the test suite: Digital Bazaar's eddsa-rdfc-2022 cryptosuite
// and jsonld-signatures (pinned in package.json), with an offline document loader.
//
// Reads {"credentials": [{...}, ...], "documents": {url: document}, "contexts": {url: path}}
// on stdin; prints one {"verified": true|false, "error": "..."} per credential, as a JSON list.
'use strict';

const fs = require('fs');
const jsigs = require('jsonld-signatures');
const {DataIntegrityProof} = require('@digitalbazaar/data-integrity');
const {cryptosuite} = require('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const {AssertionProofPurpose} = jsigs.purposes;

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  const known = new Map();
  for (const [url, path] of Object.entries(input.contexts || {})) {
    known.set(url, JSON.parse(fs.readFileSync(path, 'utf8')));
  }
  for (const [url, doc] of Object.entries(input.documents || {})) {
    known.set(url, doc);
  }
  const offline = async url => {
    if (known.has(url)) {
      return {contextUrl: null, documentUrl: url, document: known.get(url)};
    }
    throw new Error(`offline loader: unknown URL ${url}`);
  };
  // jsonld-signatures adds the security contexts it ships; everything else is offline.
  const documentLoader = jsigs.extendContextLoader(offline);
  const suite = new DataIntegrityProof({cryptosuite});
  const outcomes = [];
  for (const credential of input.credentials) {
    const result = await jsigs.verify(credential, {
      suite,
      purpose: new AssertionProofPurpose(),
      documentLoader,
    });
    const errors = [];
    const collect = e => {
      if (!e) return;
      if (Array.isArray(e)) return e.forEach(collect);
      errors.push(e.message || String(e));
      if (e.errors) collect(e.errors);
    };
    collect(result.error);
    (result.results || []).forEach(r => collect(r.error));
    outcomes.push({verified: result.verified, error: errors.join('; ')});
  }
  process.stdout.write(JSON.stringify(outcomes));
}

main().catch(e => {
  process.stdout.write(JSON.stringify({verified: false, error: 'crashed: ' + e.message}));
});
