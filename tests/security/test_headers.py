"""Security headers on every response, and pages that need no inline script or style."""

import re

import pytest
from bs4 import BeautifulSoup

from security.middleware import ADMIN_CSP, PUBLIC_CSP
from tests.courses.factories import make_course, make_module

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_public_policy_forbids_inline_and_eval_and_framing():
    policy = directives(PUBLIC_CSP)
    for name in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy[name] and "'unsafe-eval'" not in policy[name]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert all("http" not in value for values in policy.values() for value in values)


def test_admin_policy_allows_inline_but_never_eval_or_other_hosts():
    policy = directives(ADMIN_CSP)
    assert "'unsafe-eval'" not in policy["script-src"]
    assert all("http" not in value for values in policy.values() for value in values)
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize(
    "path", ["/en/", "/fr/account/sign-in/", "/ar/", "/en/nothing-here/", "/healthz-no-slash"]
)
def test_public_responses_carry_the_headers(client, site, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == PUBLIC_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_admin_responses_carry_the_admin_policy(client, site):
    response = client.get("/admin/login/")
    assert response["Content-Security-Policy"] == ADMIN_CSP


def inline_code(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [str(tag)[:80] for tag in soup.find_all("script") if not tag.get("src")]
    found += [str(tag)[:80] for tag in soup.find_all("style")]
    found += [str(tag)[:80] for tag in soup.find_all(style=True)]
    found += [
        f"{tag.name}[{name}]"
        for tag in soup.find_all(True)
        for name in tag.attrs
        if re.match(r"on[a-z]+$", name)
    ]
    found += [str(tag)[:80] for tag in soup.find_all(href=re.compile(r"^\s*javascript:", re.I))]
    return found


def ar_url(page) -> str:
    from django.utils import translation

    with translation.override("ar"):
        return page.get_url()


def test_public_pages_have_no_inline_script_or_style(client, site, learner, password):
    course = make_course(slug="evidence")
    module = make_module(course, slug="preservation")
    pages = ["/en/", "/ar/", "/fr/account/sign-in/"]
    sign_in(client, "learner", password)
    pages += [
        "/en/learning/",
        course.get_url(),
        module.get_url(),
        ar_url(module),
        "/en/account/preferences/",
        "/en/account/two-factor/",
    ]
    for path in pages:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert inline_code(response.content.decode()) == [], path


def test_production_check_deploy_is_clean():
    import os
    import subprocess
    import sys

    env = {
        # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; not a deployment.
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "k" * 30 + "-Zq8#" + "v" * 30,
        "DJANGO_ALLOWED_HOSTS": "tadrib.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    assert result.returncode == 0, result.stdout + result.stderr
