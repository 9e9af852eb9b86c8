"""Synthetic data at scale for the manager reports and their budgets (see bench/reports.py)."""

import random
import time
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation

from cms.models import Organisation, User
from cms.roles import GROUP_NAMES, Role
from courses import rollups
from courses.models import ActivityCompletion, CourseIndexPage, CoursePage, Enrolment, ModulePage
from reports.models import ManagerScope

COURSE_SLUG = "load-test"
PREFIX = "load-"
COUNTRIES = ["MA", "DZ", "TN", "EG", "JO", "NE", "ML", "MR"]
AGENCIES = [
    ("Police", "Police", "الشرطة"),
    ("Prosecution", "Parquet", "النيابة العامة"),
    ("Judiciary", "Magistrature", "القضاء"),
]
UNITS = [
    ("Cyber unit", "Unité cyber", "وحدة الجرائم الإلكترونية"),
    ("Training", "Formation", "التدريب"),
]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
BATCH = 5000
UNUSABLE = "!"  # Django never matches a password to this.
# Every SCORED_EVERY-th activity carries a score, as a quiz would.
SCORED_EVERY = 5
PASS_MARK = Decimal(70)


@contextmanager
def _keep_given_times():
    """Let bulk_create store the back-dated times given, instead of auto_now_add's "now"."""
    fields = [
        Enrolment._meta.get_field("enrolled_at"),
        ActivityCompletion._meta.get_field("started_at"),
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


class Command(BaseCommand):
    help = (
        "Create synthetic organisations, learners, enrolments and activity completions (with "
        "scores) in a course of its own, for measuring reports. Refuses if already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--activities", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (repeatable data).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete previously loaded data first."
        )

    def handle(self, *args, learners, activities, seed, reset, verbosity=1, **options):
        if settings.TADRIB_ENVIRONMENT == "production":
            raise CommandError("seed_load refuses to run with production settings.")
        if learners < 1 or activities < 1:
            raise CommandError("--learners and --activities must be at least 1.")
        started = time.monotonic()
        if reset:
            self._reset()
        existing = CoursePage.objects.filter(slug=COURSE_SLUG).first()
        if existing is not None:
            count = Enrolment.objects.filter(course=existing).count()
            raise CommandError(
                f"Already loaded: course {COURSE_SLUG!r} (id {existing.pk}) has {count} "
                "enrolments. Run with --reset to load again."
            )
        index = CourseIndexPage.objects.first()
        if index is None:
            raise CommandError("No course catalogue: run `manage.py setup_site` first.")
        rng = random.Random(seed)
        course, modules = self._course(index, activities)
        self._log(verbosity, f"course and {activities} activities", started)
        organisations = self._organisations()
        users = self._learners(learners, organisations, rng)
        self._manager(organisations)
        self._log(verbosity, f"{len(organisations)} organisations, {learners} learners", started)
        rows = self._progress(users, course, modules, rng)
        self._log(verbosity, f"enrolments and {rows} activity completions", started)
        # Written in bulk, behind courses.services: the reports' rollups are computed once.
        rollups.repair()
        self._log(verbosity, "report rollups", started)
        self.stdout.write(
            f"seed_load: {learners} learners × {activities} activities in course "
            f"{COURSE_SLUG!r} (id {course.pk}) in {time.monotonic() - started:.1f} s"
        )

    def _log(self, verbosity, what, started):
        if verbosity > 1:
            self.stdout.write(f"  {what} … {time.monotonic() - started:.1f} s")

    def _reset(self):
        course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
        if course is not None:
            ActivityCompletion.objects.filter(course=course).delete()
            Enrolment.objects.filter(course=course).delete()
            course.delete()
        users = User.objects.filter(username__startswith=PREFIX)
        ActivityCompletion.objects.filter(user__in=users).delete()
        Enrolment.objects.filter(user__in=users).delete()
        users.delete()
        Organisation.objects.filter(name_en__startswith="Load ", parent__isnull=False).delete()
        Organisation.objects.filter(name_en__startswith="Load ").delete()

    def _course(self, index, activities):
        with translation.override("en"), transaction.atomic():
            course = CoursePage(
                title="Load test course",
                title_en="Load test course",
                title_fr="Cours de test de charge",
                title_ar="دورة اختبار الحمل",
                summary_en="Synthetic course for measuring reports.",
                summary_fr="Cours synthétique pour mesurer les rapports.",
                summary_ar="دورة اصطناعية لقياس التقارير.",
                slug=COURSE_SLUG,
                slug_en=COURSE_SLUG,
            )
            index.add_child(instance=course)
            course.save_revision().publish()
            modules = []
            for n in range(1, activities + 1):
                module = ModulePage(
                    title=f"Activity {n}",
                    title_en=f"Activity {n}",
                    title_fr=f"Activité {n}",
                    title_ar=f"النشاط {n}",
                    slug=f"activity-{n}",
                    slug_en=f"activity-{n}",
                    body_en=[{"type": "paragraph", "value": f"<p>Activity {n}</p>"}],
                )
                course.add_child(instance=module)
                module.save_revision().publish()
                modules.append(module)
        return course, modules

    def _organisations(self) -> list[Organisation]:
        agencies = [
            Organisation(
                name=f"Load {en} {country}",
                name_en=f"Load {en} {country}",
                name_fr=f"Load {fr} {country}",
                name_ar=f"Load {ar} {country}",
                country=country,
            )
            for country in COUNTRIES
            for en, fr, ar in AGENCIES
        ]
        agencies = Organisation.objects.bulk_create(agencies)
        units = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Load {en} {n}",
                    name_en=f"Load {en} {n}",
                    name_fr=f"Load {fr} {n}",
                    name_ar=f"Load {ar} {n}",
                    country=agency.country,
                    parent=agency,
                )
                for n, agency in enumerate(agencies, start=1)
                for en, fr, ar in UNITS
            ]
        )
        return [*agencies, *units]

    def _learners(self, count, organisations, rng) -> list[int]:
        # An unusable password: nobody signs in as a synthetic learner.
        password = UNUSABLE
        users = [
            User(
                username=f"{PREFIX}{n:06d}",
                email=f"{PREFIX}{n:06d}@example.invalid",
                first_name=f"L{n}",
                last_name=f"Learner {n:06d}",
                password=password,
                organisation=rng.choice(organisations),
                preferred_language=rng.choice(LANGUAGES),
            )
            for n in range(1, count + 1)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        ids = list(
            User.objects.filter(username__startswith=PREFIX)
            .exclude(username=f"{PREFIX}manager")
            .values_list("pk", flat=True)
        )
        group = Group.objects.get(name=GROUP_NAMES[Role.LEARNER])
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=pk, group_id=group.pk) for pk in ids], batch_size=BATCH
        )
        return ids

    def _manager(self, organisations):
        """`load-manager`, whose scope is every synthetic country (the widest filter path)."""
        manager = User.objects.create(
            username=f"{PREFIX}manager", organisation=organisations[0], password=UNUSABLE
        )
        manager.groups.add(Group.objects.get(name=GROUP_NAMES[Role.MANAGER]))
        ManagerScope.objects.create(manager=manager, countries=COUNTRIES)

    def _progress(self, user_ids, course, modules, rng) -> int:
        now = timezone.now()
        enrolments: list[dict] = []
        completions: list[dict] = []
        total = 0
        manager = User.objects.get(username=f"{PREFIX}manager")
        for user_id in user_ids:
            enrolled_at = now - timedelta(days=rng.uniform(1, 365))
            roll = rng.random()
            done = 0 if roll < 0.15 else len(modules)
            if 0.15 <= roll <= 0.65:
                done = rng.randrange(1, len(modules))
            span = (now - enrolled_at).total_seconds()
            times = sorted(
                enrolled_at + timedelta(seconds=rng.uniform(0, span)) for _ in range(done + 1)
            )
            assigned = rng.random() < 0.2
            # Most activities in one language; some in another (docs/reports.md).
            study = rng.choice(LANGUAGES) if done else ""
            enrolments.append(
                {
                    "user_id": user_id,
                    "course_id": course.pk,
                    "enrolled_at": enrolled_at,
                    "language": study,
                    "last_activity_at": times[-1] if done else None,
                    "completed_at": times[-1] if done == len(modules) else None,
                    "assigned_by_id": manager.pk if assigned else None,
                    "due_date": (enrolled_at + timedelta(days=rng.choice((30, 90, 180)))).date()
                    if assigned
                    else None,
                }
            )
            # The activity after the last one done is in progress, if there is one.
            opened = done + 1 if 0 < done < len(modules) else done
            for position, module in enumerate(modules[:opened]):
                complete = position < done
                score = passed = None
                if (position + 1) % SCORED_EVERY == 0:
                    score = Decimal(rng.randrange(3000, 10001)) / 100
                    passed = score >= PASS_MARK
                moment = times[min(position, len(times) - 1)]
                completions.append(
                    {
                        "user_id": user_id,
                        "activity_id": module.pk,
                        "course_id": course.pk,
                        "state": ActivityCompletion.State.COMPLETE
                        if complete
                        else ActivityCompletion.State.IN_PROGRESS,
                        "started_at": moment,
                        "last_seen_at": moment,
                        "completed_at": moment if complete else None,
                        "score": score if complete or score is None else None,
                        "passed": passed if complete else None,
                        "attempts": rng.randint(1, 3) if complete and score is not None else 0,
                        "language": (study if rng.random() < 0.8 else rng.choice(LANGUAGES))
                        if complete
                        else "",
                    }
                )
            if len(completions) >= BATCH * 10:
                total += self._flush(enrolments, completions)
                enrolments, completions = [], []
        total += self._flush(enrolments, completions)
        return total

    @staticmethod
    def _flush(enrolments: list[dict], completions: list[dict]) -> int:
        with transaction.atomic():
            _insert(Enrolment, enrolments)
            _insert(ActivityCompletion, completions)
        return len(completions)


def _insert(model, rows: list[dict]) -> None:
    """Insert `rows` (values by attribute name; the others get their field's default): with
    COPY on PostgreSQL (50,000 learners' completions in seconds), else bulk_create."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor != "postgresql":
        with _keep_given_times():
            model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] if n in row else defaults[n] for n in names])
