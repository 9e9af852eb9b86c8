# Sessions move to a table of their own whose rows carry their user's id, so one statement
# reads a request's session and its user (security.sessions, issue 21). Open sessions are
# copied, so nobody is signed out by the upgrade.

from django.db import migrations, models


def copy_open_sessions(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    old = apps.get_model("sessions", "Session")
    new = apps.get_model("security", "Session")
    # Same class name, so the same signing salt as security.sessions.SessionStore.
    store = SessionStore()
    batch = []
    for row in old.objects.filter(expire_date__gt=timezone.now()).iterator():
        user_id = store.decode(row.session_data).get("_auth_user_id")
        batch.append(
            new(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=int(user_id) if str(user_id or "").isdigit() else None,
            )
        )
        if len(batch) >= 500:
            new.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    new.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0003_add_certificate_actions"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                ("user_id", models.BigIntegerField(db_index=True, editable=False, null=True)),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(copy_open_sessions, migrations.RunPython.noop, elidable=True),
    ]
