"""The holder downloads the PDF and the credential from My learning; nobody else can."""

import json

import pytest

from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def test_my_learning_links_the_certificate_downloads(client, completed, learner, password):
    client.login(username=learner.username, password=password)
    html = client.get("/en/learning/").content.decode()
    assert f"/en/certificates/{completed.serial}/pdf/" in html
    assert f"/en/certificates/{completed.serial}/credential/" in html
    assert f"/en/verify/{completed.serial}/" in html


def test_my_learning_reads_certificates_in_one_query_whatever_their_number(
    client, learner, password, site, django_capture_on_commit_callbacks
):
    """Two holders measured side by side, in the same content generation and caches: one with
    one certificate, one with three. Only the number of certificates differs between them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.courses.factories import make_course, make_module

    from .conftest import complete_course

    other = LearnerFactory(username="other-holder", preferred_language="en")
    courses = []
    for n in range(3):
        course = make_course(slug=f"c{n}")
        make_module(course, slug=f"c{n}-m")
        courses.append(course)
    complete_course(learner, courses[0], capture=django_capture_on_commit_callbacks)
    for course in courses:
        complete_course(other, course, capture=django_capture_on_commit_callbacks)

    def measured(user):
        client.force_login(user)
        client.get("/en/learning/")  # the header finds its addresses for this generation
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/en/learning/").content.decode()
        return html, [q["sql"] for q in queries.captured_queries]

    one_html, one = measured(learner)
    three_html, three = measured(other)
    assert one_html.count("/credential/") == 1
    assert three_html.count("/credential/") == 3
    assert len([q for q in three if "certificates_certificate" in q]) == 1
    assert len(three) == len(one), "\n".join(three)


def test_the_holder_downloads_a_pdf_and_the_signed_credential(client, completed, learner, password):
    client.login(username=learner.username, password=password)
    pdf = client.get(f"/en/certificates/{completed.serial}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert len(pdf.content) <= 100 * 1024
    assert completed.serial in pdf["Content-Disposition"]
    credential = client.get(f"/en/certificates/{completed.serial}/credential/")
    assert credential.status_code == 200
    assert json.loads(credential.content) == completed.credential


def test_another_learners_certificate_is_not_found(client, completed, password):
    other = LearnerFactory(username="other")
    client.login(username=other.username, password=password)
    assert client.get(f"/en/certificates/{completed.serial}/pdf/").status_code == 404
    assert client.get(f"/en/certificates/{completed.serial}/credential/").status_code == 404


def test_downloads_need_sign_in(client, completed):
    response = client.get(f"/en/certificates/{completed.serial}/pdf/")
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]
