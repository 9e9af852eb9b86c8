"""Rollups the manager reports read instead of every activity completion (docs/reports.md,
*Rollups*): each enrolment's study language (`Enrolment.study_language`) and its scored
activities per language (`ScoreTally`).

They are derived data. `enrolment_refresh` recomputes one enrolment's rollups from its
completions and runs inside the transaction that changed a completion (courses.services), so
a committed completion and its rollups always agree. `differences` compares every stored rollup
with a full recomputation and `repair` rewrites those that differ (`manage.py rollups_check`).
"""

import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, connections, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from cms.statements import repeated_cursor

from .models import ActivityCompletion, Enrolment, ScoreTally

# (language, scored, passed, score_total) of one enrolment, sorted by language.
Tallies = tuple[tuple[str, int, int, Decimal], ...]


def _counted(model):
    """Completions that vote for a study language: completed or graded, with a language."""
    return model.objects.filter(
        Q(state=ActivityCompletion.State.COMPLETE) | Q(score__isnull=False)
    ).exclude(language="")


def study_language_votes(model=ActivityCompletion) -> Subquery:
    """The study language of an enrolment (OuterRef user_id, course_id) from its completions:
    the language with most activities done; a tie goes to the tied language of the activity
    worked on most recently, then to the first code in alphabetical order. None if none."""
    votes = (
        _counted(model)
        .filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id"))
        .values("language")
        .annotate(activities=Count("pk"), latest=Max("last_seen_at"))
        .order_by("-activities", F("latest").desc(nulls_last=True), "language")
        .values("language")[:1]
    )
    return Subquery(votes)


def _tallies_of(completions) -> dict[tuple[int, int], Tallies]:
    found: dict[tuple[int, int], list] = {}
    for row in (
        completions.filter(score__isnull=False)
        .values("user_id", "course_id", "language")
        .annotate(scored=Count("pk"), passed=Count("pk", filter=Q(passed=True)), total=Sum("score"))
        .order_by()
    ):
        found.setdefault((row["user_id"], row["course_id"]), []).append(
            (row["language"], row["scored"], row["passed"], Decimal(row["total"]))
        )
    return {key: tuple(sorted(rows)) for key, rows in found.items()}


def enrolment_refresh(*, user_id: int, course_id: int, enrolment_id: int | None = None) -> None:
    """Recompute one enrolment's rollups from its completions: the row lock and three
    statements, in the caller's transaction (the enrolment's row lock, taken first, orders
    concurrent refreshes; no savepoint: a failure here fails the caller's transaction).

    `enrolment_id` says that the caller holds that enrolment's row lock already (it has just
    updated the row in this transaction): the lock is not taken again.

    It runs on every graded submission and completion, so its statements are written in SQL
    and prepared (`_refresh_statements`): the same rules as `study_language_votes` and
    `_tallies_of`, which `differences` recomputes with, and the tests hold them to it."""
    lock, language, forget, tally = _refresh_statements(connection.alias, connection.vendor)
    with transaction.atomic(savepoint=False), repeated_cursor(connection) as cursor:
        if enrolment_id is None:
            cursor.execute(lock, [user_id, course_id])
            row = cursor.fetchone()
            if row is None:
                return
            enrolment_id = row[0]
        cursor.execute(
            language, [user_id, course_id, ActivityCompletion.State.COMPLETE.value, enrolment_id]
        )
        cursor.execute(forget, [enrolment_id])
        cursor.execute(tally, [enrolment_id, user_id, course_id])


@functools.cache
def _refresh_statements(alias: str, vendor: str) -> tuple[str, str, str, str]:
    """`enrolment_refresh`'s statements: the enrolment's row lock; its study language (the
    language with most activities done, then the one worked on most recently, then the first
    code); its tallies deleted, then inserted from its scored completions per language."""
    ops = connections[alias].ops
    features = connections[alias].features
    quote = ops.quote_name
    enrolment, completion, tally = (
        quote(model._meta.db_table) for model in (Enrolment, ActivityCompletion, ScoreTally)
    )

    def c(name):
        return f"c.{quote(ActivityCompletion._meta.get_field(name).column)}"

    def e(name):
        return quote(Enrolment._meta.get_field(name).column)

    def t(name):
        return quote(ScoreTally._meta.get_field(name).column)

    lock = (
        f"SELECT {e('id')} FROM {enrolment}"  # noqa: S608 - names only
        f" WHERE {e('user')} = %s AND {e('course')} = %s"
        + (" FOR UPDATE" if features.has_select_for_update else "")
    )
    language = (
        f"UPDATE {enrolment} SET {e('study_language')} = COALESCE(("  # noqa: S608
        f"SELECT {c('language')} FROM {completion} c"
        f" WHERE {c('user')} = %s AND {c('course')} = %s"
        f" AND ({c('state')} = %s OR {c('score')} IS NOT NULL) AND {c('language')} <> ''"
        f" GROUP BY {c('language')}"
        f" ORDER BY COUNT({c('id')}) DESC, MAX({c('last_seen_at')}) DESC NULLS LAST,"
        f" {c('language')} ASC LIMIT 1), '')"
        f" WHERE {e('id')} = %s"
    )
    forget = f"DELETE FROM {tally} WHERE {t('enrolment')} = %s"  # noqa: S608
    passed = f"CASE WHEN {c('passed')} THEN 1 ELSE 0 END"
    insert = (
        f"INSERT INTO {tally} ({t('enrolment')}, {t('language')}, {t('scored')},"  # noqa: S608
        f" {t('passed')}, {t('score_total')})"
        f" SELECT %s, {c('language')}, COUNT({c('id')}), SUM({passed}), ROUND(SUM({c('score')}), 2)"
        f" FROM {completion} c"
        f" WHERE {c('user')} = %s AND {c('course')} = %s AND {c('score')} IS NOT NULL"
        f" GROUP BY {c('language')}"
    )
    return lock, language, forget, insert


@dataclass(frozen=True)
class Difference:
    enrolment_id: int
    what: str  # "study_language" or "scores"
    stored: object
    expected: object


def _models(apps):
    """The three models, live or (in a migration) historical."""
    if apps is None:
        return ActivityCompletion, Enrolment, ScoreTally
    return tuple(apps.get_model("courses", name) for name in MODEL_NAMES)


MODEL_NAMES = ("ActivityCompletion", "Enrolment", "ScoreTally")


def _expected(apps) -> tuple[dict[int, str], dict[int, Tallies]]:
    completion, enrolment, _tally = _models(apps)
    keys = {}
    languages = {}
    for pk, user_id, course_id, language in enrolment.objects.annotate(
        expected=Coalesce(study_language_votes(completion), Value(""))
    ).values_list("pk", "user_id", "course_id", "expected"):
        keys[user_id, course_id] = pk
        languages[pk] = language
    tallies = {
        keys[key]: rows
        for key, rows in _tallies_of(completion.objects.all()).items()
        if key in keys
    }
    return languages, tallies


def _stored(apps) -> tuple[dict[int, str], dict[int, Tallies]]:
    _completion, enrolment, tally = _models(apps)
    languages = dict(enrolment.objects.values_list("pk", "study_language").order_by())
    found: dict[int, list] = {}
    for enrolment_id, language, scored, passed, total in tally.objects.values_list(
        "enrolment_id", "language", "scored", "passed", "score_total"
    ).order_by():
        found.setdefault(enrolment_id, []).append((language, scored, passed, Decimal(total)))
    return languages, {pk: tuple(sorted(rows)) for pk, rows in found.items()}


def differences(apps=None) -> list[Difference]:
    """Every enrolment whose stored rollups differ from a full recomputation: a fixed number
    of queries, whatever the number of enrolments."""
    expected_languages, expected_tallies = _expected(apps)
    stored_languages, stored_tallies = _stored(apps)
    found = []
    for pk, language in expected_languages.items():
        if stored_languages.get(pk, "") != language:
            found.append(Difference(pk, "study_language", stored_languages.get(pk, ""), language))
    for pk in sorted(set(expected_tallies) | set(stored_tallies)):
        expected, stored = expected_tallies.get(pk, ()), stored_tallies.get(pk, ())
        if pk in expected_languages and _normal(expected) != _normal(stored):
            found.append(Difference(pk, "scores", stored, expected))
    return found


def _normal(tallies: Tallies) -> Tallies:
    return tuple((lang, s, p, Decimal(t).quantize(Decimal("0.01"))) for lang, s, p, t in tallies)


def repair(found: list[Difference] | None = None, apps=None) -> int:
    """Rewrite the rollups of every enrolment that differs; returns how many were rewritten."""
    found = differences(apps) if found is None else found
    _completion, enrolment, tally = _models(apps)
    if not found:
        return 0
    ids = sorted({d.enrolment_id for d in found})
    with transaction.atomic():
        languages = [d for d in found if d.what == "study_language"]
        by_language: dict[str, list[int]] = {}
        for d in languages:
            by_language.setdefault(str(d.expected), []).append(d.enrolment_id)
        for language, pks in by_language.items():
            for start in range(0, len(pks), 5000):
                enrolment.objects.filter(pk__in=pks[start : start + 5000]).update(
                    study_language=language
                )
        scores = [d for d in found if d.what == "scores"]
        score_ids = [d.enrolment_id for d in scores]
        for start in range(0, len(score_ids), 5000):
            tally.objects.filter(enrolment_id__in=score_ids[start : start + 5000]).delete()
        tally.objects.bulk_create(
            (
                tally(
                    enrolment_id=d.enrolment_id,
                    language=language,
                    scored=scored,
                    passed=passed,
                    score_total=total,
                )
                for d in scores
                for language, scored, passed, total in d.expected
            ),
            batch_size=5000,
        )
    return len(ids)
