"""Put the benchmark's users, sessions and quiz attempts in place; print the targets as JSON.

Run by bench/run.py with the same settings and database as the server it measures, after the
demo (`seed_demo`) and `seed_load` have been loaded. Signs learners in by creating their
sessions directly (as the sign-in form would), so the load tool only sends a Cookie header.
"""

import json
import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from form_fields import form_fields  # noqa: E402

from cms.models import User  # noqa: E402
from cms.roles import GROUP_NAMES, Role  # noqa: E402
from courses.models import CoursePage, ModulePage  # noqa: E402

LEARNER = "investigator"
SUBMITTERS = int(os.environ.get("BENCH_SUBMITTERS", "250"))
CSRF = secrets.token_hex(16)  # an unmasked 32-character secret: cookie and form field alike


def session_cookie(user, *, second_factor: bool = False) -> str:
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor:
        # Staff pass a second factor before the reports (production settings): a verified
        # session, as django-otp leaves it after a correct code.
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        device, _created = StaticDevice.objects.get_or_create(user=user, name="bench")
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


def quiz_submissions() -> list[dict]:
    """One in-progress attempt per bench learner and quiz, each to be submitted once."""
    try:
        from quizzes.models import QuizAttempt, QuizPage
        from quizzes.services import attempt_start
    except ImportError:
        return []
    quizzes = list(QuizPage.objects.live())
    learners_group = Group.objects.get(name=GROUP_NAMES[Role.LEARNER])
    organisation = User.objects.get(username=LEARNER).organisation
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    for n in range(SUBMITTERS):
        user, created = User.objects.get_or_create(
            username=f"bench-learner-{n:04d}", defaults={"organisation": organisation}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(learners_group)
        cookie = session_cookie(user)
        for quiz in quizzes:
            QuizAttempt.objects.filter(user=user, quiz=quiz).delete()
            attempt = attempt_start(user=user, quiz=quiz, language="en")
            with translation.override("en"):
                path = reverse("quizzes:attempt", kwargs={"pk": attempt.pk})
            # Field names and values are tokens of each attempt (docs/quizzes.md): every
            # attempt's own form is read, as its learner's browser would.
            client.cookies.load(cookie)
            page = client.get(path)
            fields = {k: v for k, v in form_fields(page.content.decode()).items() if k != "action"}
            body = urlencode(
                {**fields, "action": "submit", "csrfmiddlewaretoken": CSRF}, doseq=True
            )
            # wrk reads the method from each row: without it the submission went out as a GET
            # with a body and the server answered with the attempt page (200), not a result.
            rows.append({"method": "POST", "path": path, "cookie": cookie, "body": body})
    return rows


def quiz_pages(learner, cookie: str) -> dict:
    """The quiz page (intro, rules, past attempts) and an attempt's form (GET) as the learner
    sees them: the demo's first quiz, with one attempt of theirs in progress."""
    try:
        from quizzes.models import QuizPage
        from quizzes.services import QuizError, attempt_start
    except ImportError:
        return {}
    quiz = QuizPage.objects.live().order_by("path").first()
    if quiz is None:
        return {}
    targets = {}
    with translation.override("en"):
        targets["quiz"] = {"path": quiz.get_url(), "cookie": cookie, "expect": 200}
        try:
            attempt = attempt_start(user=learner, quiz=quiz, language="en")
        except QuizError:
            return targets
        path = reverse("quizzes:attempt", kwargs={"pk": attempt.pk})
        targets["attempt"] = {"path": path, "cookie": cookie, "expect": 200}
    return targets


def main():
    learner = User.objects.get(username=LEARNER)
    cookie = session_cookie(learner)
    module = ModulePage.objects.live().order_by("path").first()
    course = CoursePage.objects.live().exclude(slug="load-test").order_by("path").first()
    targets: dict[str, dict] = {"healthz": {"path": "/healthz", "cookie": "", "expect": 200}}
    modules = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            modules[code] = module.get_url()
            if code == "en":
                targets["module"] = {"path": modules[code], "cookie": cookie, "expect": 200}
                targets["course"] = {"path": course.get_url(), "cookie": cookie, "expect": 200}
                targets["my_learning"] = {
                    "path": reverse("courses:my_learning"),
                    "cookie": cookie,
                    "expect": 200,
                }
    targets.update(quiz_pages(learner, cookie))
    submissions = quiz_submissions()
    if submissions:
        targets["quiz_submit"] = {"rows": submissions, "expect": 302}
    # seed_load's manager, who reads the reports over every synthetic learner.
    manager = User.objects.filter(username="load-manager").first()
    if manager is not None:
        with translation.override("en"):
            reports = reverse("reports:by_course")
        targets["reports"] = {
            "path": reports,
            "cookie": session_cookie(manager, second_factor=True),
            "expect": 200,
        }
    json.dump({"targets": targets, "module_urls": modules, "cookie": cookie}, sys.stdout)


if __name__ == "__main__":
    main()
