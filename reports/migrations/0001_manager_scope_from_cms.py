import django.db.models.deletion
import django_countries.fields
from django.conf import settings
from django.db import migrations, models


def content_type_to(app_label):
    """Move the model's content type, so permissions granted on it keep applying."""

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects
        source = "cms" if app_label == "reports" else "reports"
        if not content_types.filter(app_label=app_label, model="managerscope").exists():
            content_types.filter(app_label=source, model="managerscope").update(
                app_label=app_label
            )

    return move


class Migration(migrations.Migration):
    """ManagerScope moved from cms (cms/0006): the same table, `cms_managerscope`, and rows."""

    initial = True

    dependencies = [
        ("cms", "0006_move_manager_scope_to_reports"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ManagerScope",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("countries", django_countries.fields.CountryField(blank=True, help_text="All learners in these countries.", max_length=746, multiple=True, verbose_name="countries")),
                        ("include_own_organisation", models.BooleanField(default=True, verbose_name="include own organisation")),
                        ("manager", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="manager_scope", to=settings.AUTH_USER_MODEL, verbose_name="manager")),
                        ("organisations", models.ManyToManyField(blank=True, help_text="Learners of these organisations and of their units.", related_name="+", to="cms.organisation", verbose_name="organisations")),
                    ],
                    options={
                        "verbose_name": "manager scope",
                        "verbose_name_plural": "manager scopes",
                        "db_table": "cms_managerscope",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to("reports"), content_type_to("cms")),
    ]
