"""`import_course --replace` on courses with quizzes (CLI and admin upload): the quiz is
updated in place, learners keep progress, attempts and grades, and attempts already submitted
stay scored and reviewable as they were, even when a question's choices change."""

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from courses import services as course_services
from courses.models import ActivityCompletion, CoursePage, Enrolment, ModulePage
from courses.packages import course_export
from courses.selectors import course_outline
from quizzes import services
from quizzes.models import Choice, Question, QuizAttempt, QuizPage, Response
from tests.factories import LearnerFactory, TrainerFactory

from .factories import post_data, right_answers

pytestmark = pytest.mark.django_db
DEMO = sorted((Path(__file__).resolve().parents[2] / "courses" / "demo").glob("*.json"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write(tmp_path, data: dict, name="course.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def replace_by_cli(path: Path) -> None:
    call_command("import_course", str(path), "--replace", stdout=io.StringIO())


def replace_by_admin(path: Path) -> None:
    client = Client(HTTP_HOST="testserver")
    client.force_login(TrainerFactory(username="author"))
    upload = io.BytesIO(path.read_bytes())
    upload.name = path.name
    response = client.post("/admin/courses/import/", {"file": upload, "replace": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]


REPLACE = {"cli": replace_by_cli, "admin": replace_by_admin}


def exported(slug: str) -> dict:
    data, _media = course_export(CoursePage.objects.get(slug_en=slug))
    return data


def learner_state(learner) -> dict:
    """Everything a learner has done, as plain values."""
    return {
        "enrolments": list(
            Enrolment.objects.filter(user=learner).values_list("course_id", "completed_at")
        ),
        "completions": list(
            ActivityCompletion.objects.filter(user=learner)
            .order_by("activity_id")
            .values_list("activity_id", "state", "score", "passed", "attempts", "completed_at")
        ),
        "attempts": list(
            QuizAttempt.objects.filter(user=learner)
            .order_by("pk")
            .values_list("pk", "quiz_id", "number", "state", "score", "passed", "layout")
        ),
        "responses": list(
            Response.objects.filter(attempt__user=learner)
            .order_by("pk")
            .values_list("attempt_id", "question_id", "answer", "fraction", "marks")
        ),
    }


def take_quiz(learner, quiz: QuizPage) -> tuple[QuizAttempt, QuizAttempt]:
    """A submitted attempt with every answer right but the first, and one in progress with
    the first answer saved."""
    submitted = services.attempt_start(user=learner, quiz=quiz, language="ar")
    answers = right_answers(submitted)
    first = submitted.layout[0]["question"]
    services.attempt_save_answers(
        attempt=submitted, answers={pk: a for pk, a in answers.items() if pk != first}
    )
    submitted = services.attempt_submit(attempt=submitted)
    assert Decimal(0) < submitted.score < Decimal(100)
    in_progress = services.attempt_start(user=learner, quiz=quiz, language="fr")
    services.attempt_save_answers(attempt=in_progress, answers={first: answers[first]})
    return submitted, in_progress


def result_html(client, learner, attempt) -> str:
    client.force_login(learner)
    with translation.override("en"):
        response = client.get(f"/en/quizzes/attempts/{attempt.pk}/result/")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("via", sorted(REPLACE))
@pytest.mark.parametrize("path", DEMO, ids=[p.stem for p in DEMO])
def test_replacing_a_demo_course_twice_keeps_what_learners_did(site, client, path, via):
    package = load(path)
    call_command("import_course", str(path), stdout=io.StringIO())
    course = CoursePage.objects.get(slug_en=package["slug"])
    learner = LearnerFactory(username="officer")
    module = ModulePage.objects.child_of(course).order_by("path").first()
    course_services.activity_complete(user=learner, activity=module, language="ar")
    quizzes = list(QuizPage.objects.child_of(course).order_by("path"))
    assert quizzes, "every demo course has a quiz"
    attempts = [take_quiz(learner, quiz) for quiz in quizzes]
    before = learner_state(learner)
    questions = sorted(Question.objects.values_list("pk", flat=True))
    progress = course_outline(course=course, user=learner).progress
    review = [result_html(client, learner, submitted) for submitted, _open in attempts]
    assert exported(package["slug"]) == package

    for _time in range(2):
        REPLACE[via](path)
        assert exported(package["slug"]) == package

    assert learner_state(learner) == before
    assert sorted(Question.objects.values_list("pk", flat=True)) == questions
    assert [q.pk for q in QuizPage.objects.child_of(course).order_by("path")] == [
        q.pk for q in quizzes
    ]
    assert course_outline(course=course, user=learner).progress == progress
    assert [result_html(client, learner, s) for s, _open in attempts] == review
    # The attempt left open before the replace is still there to finish, scored as shown.
    for _submitted, in_progress in attempts:
        in_progress.refresh_from_db()
        done = services.attempt_submit(attempt=in_progress)
        assert done.state == QuizAttempt.State.SUBMITTED and done.score is not None


def single_choice_index(quiz: dict) -> int:
    return next(i for i, q in enumerate(quiz["questions"]) if q["type"] == "single")


@pytest.mark.parametrize("via", sorted(REPLACE))
def test_changing_a_questions_choices_keeps_submitted_attempts_scored_and_reviewable(
    site, client, tmp_path, via
):
    package = load(DEMO[0])
    path = write(tmp_path, package)
    call_command("import_course", str(path), stdout=io.StringIO())
    quiz_data = next(a for a in package["activities"] if a["type"] == "quiz")
    quiz = QuizPage.objects.get(slug_en=quiz_data["slug"])
    learner = LearnerFactory(username="officer")
    attempt = services.attempt_start(user=learner, quiz=quiz)
    index = single_choice_index(quiz_data)
    old = quiz.quiz_questions.order_by("sort_order")[index].question
    old_right = old.choices.get(correct=True)
    client.force_login(learner)
    client.post(f"/en/quizzes/attempts/{attempt.pk}/", post_data(attempt, right_answers(attempt)))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")
    completion = ActivityCompletion.objects.get(user=learner, activity_id=quiz.pk)
    review = result_html(client, learner, attempt)
    assert old_right.text_en in review

    # The author rewrites the choices: the right one becomes wrong, a new one is right.
    changed = copy.deepcopy(package)
    changed_quiz = next(a for a in changed["activities"] if a["type"] == "quiz")
    choices = changed_quiz["questions"][index]["choices"]
    for choice in choices:
        choice["correct"] = False
    choices.append({"text": {"en": "A new right answer", "fr": "Une nouvelle bonne réponse",
                             "ar": "إجابة صحيحة جديدة"}, "correct": True})  # fmt: skip
    REPLACE[via](write(tmp_path, changed))

    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (Decimal("100.00"), True)
    assert set(Response.objects.filter(attempt=attempt).values_list("fraction", flat=True)) == {
        Decimal(1)
    }
    assert ActivityCompletion.objects.get(pk=completion.pk).score == completion.score
    assert result_html(client, learner, attempt) == review
    # The old question stays for the attempt; the quiz now asks the new version.
    assert Choice.objects.get(pk=old_right.pk).correct is True
    now = QuizPage.objects.get(pk=quiz.pk).quiz_questions.order_by("sort_order")[index].question
    assert now.pk != old.pk and now.choices.count() == len(choices)
    assert exported(package["slug"]) == changed
    # Every other question was kept as it was.
    kept = [qq.question_id for qq in QuizPage.objects.get(pk=quiz.pk).quiz_questions.all()]
    assert set(kept) - {now.pk} <= set(attempt.question_ids)
    # A new attempt is scored against the new version.
    fresh = services.attempt_start(user=LearnerFactory(), quiz=quiz)
    assert now.pk in fresh.question_ids and old.pk not in fresh.question_ids
    services.attempt_save_answers(attempt=fresh, answers=right_answers(fresh))
    assert services.attempt_submit(attempt=fresh).score == Decimal("100.00")


def test_questions_nobody_answered_do_not_pile_up_in_the_bank(site, tmp_path):
    package = load(DEMO[0])
    call_command("import_course", str(write(tmp_path, package)), stdout=io.StringIO())
    count = Question.objects.count()
    quiz_data = next(a for a in package["activities"] if a["type"] == "quiz")
    index = single_choice_index(quiz_data)
    quiz_data["questions"][index]["text"]["en"] = "<p>Reworded, and nobody answered it.</p>"
    removed = quiz_data["questions"].pop()
    call_command("import_course", str(write(tmp_path, package)), "--replace", stdout=io.StringIO())
    assert Question.objects.count() == count - 1
    assert not Question.objects.filter(text_en=removed["text"]["en"]).exists()
    assert exported(package["slug"]) == package


def test_changing_only_the_marks_keeps_the_question(site, tmp_path):
    package = load(DEMO[0])
    call_command("import_course", str(write(tmp_path, package)), stdout=io.StringIO())
    quiz_data = next(a for a in package["activities"] if a["type"] == "quiz")
    quiz = QuizPage.objects.get(slug_en=quiz_data["slug"])
    learner = LearnerFactory()
    attempt = services.attempt_submit(attempt=services.attempt_start(user=learner, quiz=quiz))
    questions = sorted(Question.objects.values_list("pk", flat=True))
    quiz_data["questions"][0]["marks"] = quiz_data["questions"][0].get("marks", 1) + 4
    quiz_data["pass_mark"], quiz_data["max_attempts"], quiz_data["grading"] = 55, 0, "last"
    call_command("import_course", str(write(tmp_path, package)), "--replace", stdout=io.StringIO())
    assert sorted(Question.objects.values_list("pk", flat=True)) == questions
    assert exported(package["slug"]) == package
    quiz.refresh_from_db()
    assert (quiz.pass_mark, quiz.attempts_allowed, quiz.grading) == (55, 0, "last")
    assert QuizAttempt.objects.get(pk=attempt.pk).layout == attempt.layout  # marks as frozen


def test_a_refused_replace_changes_nothing(site, tmp_path):
    package = load(DEMO[0])
    call_command("import_course", str(write(tmp_path, package)), stdout=io.StringIO())
    before = exported(package["slug"])
    quiz_data = next(a for a in package["activities"] if a["type"] == "quiz")
    quiz_data["title"]["en"] = "A new title"
    for choice in quiz_data["questions"][single_choice_index(quiz_data)]["choices"]:
        choice["correct"] = False
    with pytest.raises(Exception, match="refused"):
        call_command(
            "import_course", str(write(tmp_path, package)), "--replace", stderr=io.StringIO()
        )
    assert exported(package["slug"]) == before
