"""JSON-LD processing with the contexts bundled in `certificates/contexts/` only.

Nothing is fetched at run time: a document naming any other context is refused, which also
keeps uploaded credentials from making the server reach out (SSRF) or parse arbitrary input.
Canonicalisation is RDF Dataset Canonicalization (RDFC-1.0, which pyld names URDNA2015).
"""

import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

BUNDLED = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


class JsonLdInvalid(Exception):
    """The document cannot be processed as JSON-LD."""


class UnknownContext(JsonLdInvalid):
    """A document names a context that is not bundled."""


@cache
def _bundled(url: str) -> dict:
    return json.loads((CONTEXTS_DIR / BUNDLED[url]).read_text(encoding="utf-8"))


def document_loader(extra: dict[str, dict] | None = None):
    """A pyld document loader over the bundled contexts (and `extra` documents by URL)."""

    def load(url: str, options=None) -> dict:
        if extra and url in extra:
            document = extra[url]
        elif url in BUNDLED:
            document = _bundled(url)
        else:
            raise UnknownContext(url)
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def canonicalize(document: dict, *, extra: dict[str, dict] | None = None) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document.

    Raises UnknownContext for a context that is not bundled, JsonLdInvalid for anything else
    pyld cannot process.
    """
    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": document_loader(extra),
            },
        )
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, UnknownContext):
                raise UnknownContext(str(cause)) from error
            cause = cause.__cause__ or getattr(cause, "cause", None)
        raise JsonLdInvalid(str(error)) from error
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        # Shapes pyld does not expect (an uploaded file can be anything).
        raise JsonLdInvalid(repr(error)) from error
