"""HTML in brotli where the browser takes it, gzip otherwise, padded against BREACH
(cms/compression.py, docs/page-weight.md)."""

import gzip
import json

import brotli
import pytest
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory

from cms.compression import CompressionMiddleware, accepts_brotli

BROWSER = "gzip, deflate, br, zstd"  # what Chromium sends
HTML = (
    "<!DOCTYPE html><html lang=fr><body>"
    + "<p>Leçon sur la preuve électronique.</p>" * 200
    + "</body></html>"
).encode()


def served(accept: str, response: HttpResponse) -> HttpResponse:
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return CompressionMiddleware(lambda r: response)(request)


def html(content: bytes = HTML) -> HttpResponse:
    return HttpResponse(content, content_type="text/html; charset=utf-8")


# A page whose lines differ, as real pages do: on a page of one line repeated, both encodings
# come down to tens of bytes and the random padding (up to 100 bytes each) decides which wins.
VARIED = (
    "<!DOCTYPE html><html lang=fr><body>"
    + "".join(
        f"<p>Leçon {i} sur la preuve électronique, partie {i * 7 % 13}.</p>" for i in range(200)
    )
    + "</body></html>"
).encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (BROWSER, True),
        ("br", True),
        ("gzip, br;q=0.5", True),
        ("gzip, br;q=0", False),
        ("br; q=0.0", False),
        ("gzip, deflate", False),
        ("brotli", False),
        ("", False),
    ],
)
def test_accept_encoding_is_read_with_its_weights(header, expected):
    assert accepts_brotli(header) is expected


def test_a_browser_that_takes_brotli_gets_the_page_in_brotli_smaller_than_gzip(monkeypatch):
    response = served(BROWSER, html())
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert response["Content-Length"] == str(len(response.content))
    body = brotli.decompress(response.content)
    assert body.startswith(HTML)
    assert body[len(HTML) :].startswith(b"<!--") and body.endswith(b"-->")
    # Brotli with its longest padding against gzip with whatever padding it draws.
    monkeypatch.setattr("cms.compression.secrets.randbelow", lambda bound: bound - 1)
    assert len(served(BROWSER, html(VARIED)).content) < len(served("gzip", html(VARIED)).content)


def test_the_padding_varies_the_length_from_one_response_to_the_next():
    bodies = [brotli.decompress(served(BROWSER, html()).content) for _ in range(30)]
    lengths = {len(body) for body in bodies}
    assert len(lengths) > 5
    assert max(lengths) - len(HTML) <= len("<!---->") + 100


def test_other_browsers_and_other_responses_get_what_gzip_gave():
    response = served("gzip, deflate", html())
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == HTML
    assert "Content-Encoding" not in served("identity", html())
    data = JsonResponse({"items": ["x" * 50] * 20})
    response = served(BROWSER, data)
    assert response["Content-Encoding"] == "gzip"  # not HTML: as before
    assert json.loads(gzip.decompress(response.content))["items"][0] == "x" * 50
    stream = StreamingHttpResponse(iter([HTML]), content_type="text/html")
    response = served(BROWSER, stream)
    assert response["Content-Encoding"] == "gzip"


def test_a_strong_etag_is_made_weak():
    response = html()
    response["ETag"] = '"abc"'
    assert served(BROWSER, response)["ETag"] == 'W/"abc"'


def test_pages_are_served_in_brotli_through_the_whole_stack(client, site):
    response = client.get("/en/account/sign-in/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert b"</html>" in brotli.decompress(response.content)
