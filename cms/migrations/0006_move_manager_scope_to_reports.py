from django.db import migrations


class Migration(migrations.Migration):
    """ManagerScope now belongs to the reports app (reports/0001); its table stays."""

    dependencies = [("cms", "0005_contentgeneration")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ManagerScope")],
            database_operations=[],
        )
    ]
