"""Demo certificates for `seed_demo`: fixed serials, so the README can point at them."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.models import CoursePage, ModulePage
from courses.selectors import activity_models, live_course_of
from courses.services import activity_complete, activity_record_result

from .models import Certificate, RevocationReason
from .serials import check_character, format_serial
from .services import certificate_issue, certificate_revoke

NAMES = {
    "investigator": ("سلمى ديمو", "Salma Demo"),
    "prosecutor": ("كريم ديمو", "Karim Demo"),
}
# username, course slug, language, serial body, quiz grade, revocation reason
CERTIFICATES = [
    ("investigator", "electronic-evidence", "ar", "4RWD7KQ2M9XP", Decimal("88"), None),
    ("prosecutor", "special-investigation-techniques", "fr", "8HNC3TFA6YJE", Decimal("92"), None),
    (
        "prosecutor",
        "foreign-terrorist-fighters",
        "fr",
        "5GKV2PQX9MRA",
        Decimal("75"),
        RevocationReason.ISSUED_IN_ERROR,
    ),
]


def demo_serial(body: str) -> str:
    return format_serial(body + check_character(body))


def _complete(user, course: CoursePage, grade: Decimal, language: str) -> None:
    """Complete every activity of the demo course: modules marked done, scored activities
    (quizzes) passed with `grade`."""
    for model in activity_models():
        for activity in model.objects.child_of(course).live():
            if live_course_of(activity=activity) is None:
                continue
            if isinstance(activity, ModulePage):
                activity_complete(user=user, activity=activity, language=language)
            else:
                activity_record_result(
                    user=user,
                    activity=activity,
                    score=grade,
                    passed=True,
                    complete=True,
                    attempts=1,
                    language=language,
                )


def demo_seed_certificates() -> None:
    User = get_user_model()
    for username, (arabic, latin) in NAMES.items():
        User.objects.filter(username=username, full_name_arabic="", full_name_latin="").update(
            full_name_arabic=arabic, full_name_latin=latin
        )
    for username, slug, language, body, grade, reason in CERTIFICATES:
        serial = demo_serial(body)
        if Certificate.objects.filter(serial=serial).exists():
            continue
        user = User.objects.filter(username=username).first()
        course = CoursePage.objects.filter(slug_en=slug).live().first()
        if user is None or course is None:
            continue
        with transaction.atomic():
            _complete(user, course, grade, user.preferred_language)
            certificate = certificate_issue(
                holder=user, course=course, language=language, serial=serial
            )
            if reason and certificate.revoked_at is None:
                certificate_revoke(certificate=certificate, reason=reason)
