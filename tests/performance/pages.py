"""Helpers the page-cache and learner-shell tests share: a page's address in a language, a
GET that must answer a status, and the queries a GET runs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation


def page_url(page, language="en") -> str:
    with translation.override(language):
        return page.get_url()


def get(client, url, *, expect=200):
    response = client.get(url)
    assert response.status_code == expect, response.status_code
    return response


def queries_of(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = get(client, url)
    return len(captured), response.content.decode()
