"""Receivers that feed the lockout counters and the audit trail. No business flow here: each
receiver only records what happened."""

from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from wagtail.signals import page_published

from cms.audit import audit_event

from . import lockout
from .audit import Action, audit_log
from .context import current_request
from .middleware import SessionTimeoutMiddleware
from .twofactor import session_flags_set

User = get_user_model()


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get(User.USERNAME_FIELD, "")
    audit_log(action=Action.SIGN_IN_FAILED, request=request, username=username)
    lockout.failure_record(request=request, username=username)


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    lockout.success_record(request=request, username=user.get_username())
    if request is not None and hasattr(request, "session"):
        session_flags_set(request=request, user=user)
        SessionTimeoutMiddleware.session_start(request.session)
    audit_log(action=Action.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action=Action.SIGN_OUT, request=request, user=user)


@receiver(page_published)
def page_was_published(sender, instance, revision=None, **kwargs):
    request = current_request()
    user = getattr(revision, "user", None) if revision is not None else None
    audit_log(action=Action.PAGE_PUBLISHED, request=request, user=user, obj=instance)


@receiver(m2m_changed, sender=User.groups.through)
def roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    request = current_request()
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    if not reverse:  # user.groups.add(group…)
        names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
        audit_log(
            action=Action.ROLE_CHANGED,
            request=request,
            obj=instance,
            detail=f"{verb}: {', '.join(names)}",
        )
    else:  # group.user_set.add(user…)
        for user in User.objects.filter(pk__in=pk_set or ()):
            audit_log(
                action=Action.ROLE_CHANGED,
                request=request,
                obj=user,
                detail=f"{verb}: {instance.name}",
            )


@receiver(audit_event)
def core_event(sender, action, obj=None, detail="", user=None, data=None, **kwargs):
    """What the core apps announce: imports, quiz submissions, report exports, passwords."""
    audit_log(action=action, obj=obj, detail=detail, user=user, data=data)
