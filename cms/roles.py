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
