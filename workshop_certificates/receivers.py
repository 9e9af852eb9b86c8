import logging

from certificates.keys import CredentialKeyMissing
from certificates.services import certificate_issue
from certificates.sources import NotCompleted

logger = logging.getLogger(__name__)


def workshop_was_completed(sender, workshop, user, completed_at, **kwargs):
    """Issue the participant's workshop certificate (once: `certificate_issue` is idempotent
    and race-safe). Like a course's, a failure is logged and never fails the request."""
    try:
        certificate_issue(holder=user, workshop=workshop)
    except CredentialKeyMissing:
        logger.error(
            "No certificate issued for %s in workshop %s: no credential key", user, workshop
        )
    except NotCompleted:
        logger.warning("Workshop %s completion by %s is no longer recorded", workshop, user)
