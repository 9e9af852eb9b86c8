from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


def from_enrolments(apps, schema_editor):
    """Rows from before: the language the learner last studied the course in, the best guess."""
    ActivityCompletion = apps.get_model("courses", "ActivityCompletion")
    Enrolment = apps.get_model("courses", "Enrolment")
    ActivityCompletion.objects.filter(
        Q(state="complete") | Q(score__isnull=False), language=""
    ).update(
        language=Coalesce(
            Subquery(
                Enrolment.objects.filter(
                    user_id=OuterRef("user_id"), course_id=OuterRef("course_id")
                ).values("language")[:1]
            ),
            Value(""),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_add_activity_attempts")]

    operations = [
        migrations.AddField(
            model_name="activitycompletion",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("fr", "French"), ("ar", "Arabic")],
                max_length=8,
            ),
        ),
        migrations.RunPython(from_enrolments, migrations.RunPython.noop),
    ]
