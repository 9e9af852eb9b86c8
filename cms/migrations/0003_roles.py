"""Create the role groups. Trainers reach the Wagtail admin; their page and question-bank
rights are granted by the courses and quizzes apps, which own those objects."""

from django.db import migrations

GROUPS = ["Learners", "Trainers", "Managers"]


def create_roles(apps, schema_editor):
    from cms.roles import role_groups_ensure

    role_groups_ensure(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_home_page"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
