"""Report data for tests: enrolments and completions with chosen times, and learners in bulk."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from cms.models import User
from cms.roles import GROUP_NAMES, Role
from courses import rollups
from courses.models import ActivityCompletion, Enrolment


def enrol(user, course, *, enrolled_at=None, **fields) -> Enrolment:
    enrolment = Enrolment.objects.create(user=user, course=course, **fields)
    if enrolled_at is not None:
        # enrolled_at is auto_now_add: only an UPDATE can back-date it.
        Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=enrolled_at)
    # Rows written here bypass courses.services: their rollups are refreshed as it would.
    rollups.enrolment_refresh(user_id=user.pk, course_id=course.pk)
    enrolment.refresh_from_db()
    return enrolment


def record(
    user, activity, *, complete=True, score=None, passed=None, when=None
) -> ActivityCompletion:
    when = when or timezone.now()
    completion = ActivityCompletion.objects.create(
        user=user,
        activity_id=activity.pk,
        course_id=activity.get_parent().pk,
        state=ActivityCompletion.State.COMPLETE
        if complete
        else ActivityCompletion.State.IN_PROGRESS,
        last_seen_at=when,
        completed_at=when if complete else None,
        score=None if score is None else Decimal(score),
        passed=passed,
    )
    rollups.enrolment_refresh(user_id=user.pk, course_id=completion.course_id)
    return completion


def bulk_learners(count, *, organisation, course, activities, start=0) -> list[int]:
    """`count` learners of `organisation` enrolled in `course`: a third done, a third halfway,
    a third not started; every second activity scored. A handful of INSERTs."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                username=f"bulk{n:05d}",
                last_name=f"Bulk {n:05d}",
                organisation=organisation,
                password="!",
            )
            for n in range(start, start + count)
        ]
    )
    ids = list(
        User.objects.filter(username__in=[u.username for u in users]).values_list("pk", flat=True)
    )
    group = Group.objects.get(name=GROUP_NAMES[Role.LEARNER])
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=group.pk) for pk in ids]
    )
    enrolments, completions = [], []
    for i, pk in enumerate(ids):
        done = (len(activities), len(activities) // 2, 0)[i % 3]
        enrolments.append(
            Enrolment(
                user_id=pk,
                course=course,
                language="fr" if i % 2 else "ar",
                last_activity_at=now if done else None,
                completed_at=now + timedelta(days=1) if done == len(activities) else None,
                due_date=(now - timedelta(days=3)).date() if i % 5 == 0 else None,
            )
        )
        for position, activity in enumerate(activities[:done]):
            scored = position % 2 == 1
            completions.append(
                ActivityCompletion(
                    user_id=pk,
                    activity_id=activity.pk,
                    course=course,
                    state=ActivityCompletion.State.COMPLETE,
                    completed_at=now,
                    last_seen_at=now,
                    score=Decimal(50 + i % 50) if scored else None,
                    passed=(50 + i % 50) >= 70 if scored else None,
                )
            )
    Enrolment.objects.bulk_create(enrolments, batch_size=500)
    ActivityCompletion.objects.bulk_create(completions, batch_size=500)
    rollups.repair()
    return ids
