"""Signal receivers: each hands over to a service, no business flow here."""

import logging

from django.dispatch import receiver

from cms.signals import personal_data_erased
from courses.signals import course_completed

from .keys import CredentialKeyMissing
from .services import certificates_holder_erase, course_completion_certify
from .sources import NotCompleted

logger = logging.getLogger(__name__)


@receiver(course_completed, dispatch_uid="certificates_course_completed")
def course_was_completed(sender, user, course, completed_at, **kwargs):
    try:
        course_completion_certify(user=user, course=course, completed_at=completed_at)
    except CredentialKeyMissing:
        # Nothing is issued unsigned; `issue_certificates` issues them once a key is set.
        logger.error("No certificate issued for %s in course %s: no credential key", user, course)
    except NotCompleted:
        logger.warning("Course %s completion by %s is no longer recorded", course, user)


@receiver(personal_data_erased, dispatch_uid="certificates_personal_data_erased")
def holder_was_erased(sender, user, **kwargs):
    certificates_holder_erase(user=user)
