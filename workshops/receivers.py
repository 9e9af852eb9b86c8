"""What workshops does when other apps report: a post-test submitted, a course completed."""

from .models import Workshop


def on_attempt_submitted(sender, *, user, quiz, attempt, **kwargs):
    from .services import completion_refresh

    for workshop in Workshop.objects.filter(post_test_id=quiz.pk, participants__user=user):
        completion_refresh(workshop=workshop, user_ids=[user.pk])


def on_course_completed(sender, *, user, course, **kwargs):
    from .services import completion_refresh

    for workshop in Workshop.objects.filter(
        courses__course_id=course.pk, participants__user=user
    ).distinct():
        completion_refresh(workshop=workshop, user_ids=[user.pk])
