"""Trainers edit workshops in the admin (each trainer only those they facilitate: the admin's
views filter by facilitator, administrators see all)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_workshop" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    app_config = apps.get_app_config("workshops")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainers, _created = Group.objects.get_or_create(name="Trainers")
    trainers.permissions.add(
        *Permission.objects.filter(content_type__app_label="workshops", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainers = Group.objects.filter(name="Trainers").first()
    if trainers is not None:
        trainers.permissions.remove(
            *Permission.objects.filter(content_type__app_label="workshops", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0001_workshops_sessions_participants_attendance"),
        ("cms", "0003_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
