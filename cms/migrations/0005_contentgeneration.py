from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("cms", "ContentGeneration").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("cms", "0004_add_manager_scope")]

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "content generation"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
