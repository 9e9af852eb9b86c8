"""What the other apps announce, turned into e-mails. Each receiver only hands over to
`services.notification_send`; the other apps never import this one."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.audit import audit_event
from cms.user_import import users_imported
from courses.signals import course_assigned

from .services import notification_send

User = get_user_model()


@receiver(users_imported, dispatch_uid="notifications_users_imported")
def users_were_imported(sender, user_ids, base_url, **kwargs):
    for user in User.objects.filter(pk__in=user_ids).exclude(email=""):
        notification_send(
            kind="set_password",
            recipient=user,
            key=f"set_password:{user.pk}",
            params={"base_url": base_url},
        )


@receiver(course_assigned, dispatch_uid="notifications_course_assigned")
def course_was_assigned(sender, course, user_ids, due_date, assigned_by=None, **kwargs):
    due = due_date.isoformat() if due_date else "none"
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        notification_send(
            kind="course_assigned",
            recipient=user,
            key=f"assigned:{course.pk}:{user.pk}:{due}",
            params={
                "course_id": course.pk,
                "course_title": course.title,
                "due_date": due_date.isoformat() if due_date else "",
            },
        )


@receiver(audit_event, dispatch_uid="notifications_certificate_issued")
def certificate_was_issued(sender, action, obj=None, **kwargs):
    if action != "certificate_issued" or obj is None or obj.holder_id is None:
        return
    notification_send(
        kind="certificate_issued",
        recipient=obj.holder,
        key=f"certificate_issued:{obj.pk}",
        params={"certificate_id": obj.pk},
    )


@receiver(post_save, sender="certificates.RenewalInvitation", dispatch_uid="notifications_renewal")
def renewal_was_invited(sender, instance, created, **kwargs):
    certificate = instance.certificate
    if not created or certificate.holder_id is None:
        return
    notification_send(
        kind="certificate_renewal",
        recipient=certificate.holder,
        key=f"renewal:{instance.pk}",
        params={
            "certificate_id": certificate.pk,
            "days_before": instance.days_before,
            "refresher_id": instance.refresher_id,
        },
    )


# Security notices: an account locked after failed sign-ins, a second factor added or removed.
_SECOND_FACTOR = {"2fa_enrolled": "second_factor_added", "2fa_removed": "second_factor_removed"}


@receiver(post_save, sender="security.AuditEntry", dispatch_uid="notifications_security")
def security_event(sender, instance, created, **kwargs):
    if not created:
        return
    if instance.action in _SECOND_FACTOR and instance.object_type == "cms.user":
        user = User.objects.filter(pk=instance.object_id).first()
        kind = _SECOND_FACTOR[instance.action]
    elif instance.action == "lockout" and instance.data.get("username"):
        # Lockouts of an account (from one address or from all); an address's lockout names
        # nobody.
        user = User.objects.filter(username__iexact=instance.data["username"]).first()
        kind = "lockout"
    else:
        return
    if user is not None:
        notification_send(
            kind=kind,
            recipient=user,
            key=f"security:{instance.pk}",
            params={"scope": instance.data.get("scope", "")},
        )
