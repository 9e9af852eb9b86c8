"""Wagtail's reference index records where content (pages, images, documents, snippets) is
used. Records of what learners did are not content: indexing them would cost queries on every
write a learner makes (a quiz submission writes six such rows) and learn nothing."""

from django.apps import apps
from wagtail.models import ReferenceIndex

RECORDS = {
    "courses.ActivityCompletion",
    "courses.Enrolment",
    "courses.ScoreTally",
    "quizzes.QuizAttempt",
    "quizzes.Response",
    "security.AuditEntry",
    "security.Lockout",
    "certificates.Certificate",
    "certificates.RenewalInvitation",
    "notifications.Notification",
    "notifications.EmailOptOut",
    "offline.ReceivedAction",
    "search.SearchDocument",
    "surveys.SurveyAnswer",
    "surveys.SurveyParticipation",
    "surveys.SurveyResponse",
    "workshops.Attendance",
    "workshops.Participant",
    "workshops.SurveyResponseWorkshop",
}
CONTENT = {"courses.CoursePage", "courses.ModulePage", "quizzes.QuizPage", "quizzes.Question"}


def test_records_of_what_learners_did_are_not_indexed_and_content_still_is():
    indexable = {
        model._meta.label for model in apps.get_models() if ReferenceIndex.model_is_indexable(model)
    }
    assert not RECORDS & indexable
    assert indexable >= CONTENT  # the admin's "usage" of images and pages keeps working
    # What it saves on a quiz submission: tests/quizzes/test_submission.py counts 24 queries
    # (30 with these records indexed).
