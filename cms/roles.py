"""The platform's roles, as Django groups created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TRAINER = "trainer", _("Trainer")
    MANAGER = "manager", _("Manager")


GROUP_NAMES = {
    Role.LEARNER: "Learners",
    Role.TRAINER: "Trainers",
    Role.MANAGER: "Managers",
}


def role_groups_ensure(group_model, permission_model) -> None:
    """Create the role groups and the admin access trainers need. Idempotent.

    Takes the model classes so the data migration can pass its historical models.
    """
    for name in GROUP_NAMES.values():
        group_model.objects.get_or_create(name=name)
    access_admin = permission_model.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is not None:
        group_model.objects.get(name=GROUP_NAMES[Role.TRAINER]).permissions.add(access_admin)
