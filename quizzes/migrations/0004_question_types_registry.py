"""Question types come from the registry (quizzes/question_types/), and every attempt's
frozen layout carries the opaque tokens its form now uses instead of ids and positions.

Layouts written before held, per question, "options" (choice or pair ids) and "prompts" (pair
or item ids). They become [[token, value], …] lists, a "name" token for the questions answered
by one field, and the options that were implicit before: true and false, ordering positions.
Answers stay keyed by ids, so saved and submitted answers read as they did.
"""

import secrets
import string

from django.db import migrations, models

import quizzes.models


def _token(used):
    while True:
        token = "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))
        if token not in used:
            used.add(token)
            return token


def _tokenised(entry):
    values = [*entry.get("options", []), *entry.get("prompts", [])]
    return "name" in entry or any(isinstance(value, list) for value in values)


def tokenise(apps, schema_editor):
    QuizAttempt = apps.get_model("quizzes", "QuizAttempt")
    for attempt in QuizAttempt.objects.all().iterator():
        if all(_tokenised(entry) for entry in attempt.layout):
            continue
        used = set()
        layout = []
        for entry in attempt.layout:
            if _tokenised(entry):
                layout.append(entry)
                continue
            kind, prompts, options = entry["type"], entry["prompts"], entry["options"]
            if kind == "true_false":
                options = [True, False]
            elif kind == "ordering":
                options = list(range(1, len(prompts) + 1))
            new = {"question": entry["question"], "type": kind, "marks": entry["marks"]}
            if prompts:
                new["prompts"] = [[_token(used), value] for value in prompts]
            else:
                new["name"] = _token(used)
            new["options"] = [[_token(used), value] for value in options]
            layout.append(new)
        attempt.layout = layout
        attempt.save(update_fields=["layout"])


def untokenise(apps, schema_editor):
    QuizAttempt = apps.get_model("quizzes", "QuizAttempt")
    for attempt in QuizAttempt.objects.all().iterator():
        layout = []
        for entry in attempt.layout:
            implicit = entry["type"] in ("true_false", "ordering")
            layout.append(
                {
                    "question": entry["question"],
                    "type": entry["type"],
                    "marks": entry["marks"],
                    "options": [] if implicit else [v for _t, v in entry.get("options", [])],
                    "prompts": [v for _t, v in entry.get("prompts", [])],
                }
            )
        attempt.layout = layout
        attempt.save(update_fields=["layout"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_use_sanitized_rich_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="type",
            field=models.CharField(
                choices=quizzes.models.question_type_choices,
                default="single",
                max_length=16,
                verbose_name="type",
            ),
        ),
        migrations.RunPython(tokenise, untokenise),
    ]
