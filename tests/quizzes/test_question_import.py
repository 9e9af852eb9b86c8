"""Importing and exporting question banks through the paths trainers take: the service, the
admin's upload and download, `import_questions` and `export_questions`; round trips; imported
questions scored as Moodle scores them in a real attempt."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model

from quizzes import services
from quizzes.interchange import gift, moodle_xml
from quizzes.interchange.selectors import category_questions, questions_file, quiz_questions
from quizzes.interchange.services import InterchangeError, questions_import
from quizzes.models import Question, QuestionCategory
from quizzes.packages import question_content, quiz_export, quiz_validate
from quizzes.selectors import attempt_page, attempt_result, questions_with_children
from tests.factories import LearnerFactory, TrainerFactory

from .factories import make_quiz, post_data

FIXTURES = Path(__file__).parent / "fixtures"
XML = (FIXTURES / "bank.moodle.xml").read_bytes()
GIFT = (FIXTURES / "bank.gift.txt").read_bytes()

pytestmark = pytest.mark.django_db


def categories():
    return sorted(
        (c.name_en, c.parent.name_en if c.parent else None) for c in QuestionCategory.objects.all()
    )


def snapshot(questions):
    """What must survive a round trip: content, marks, name, category path, image bytes."""
    rows = questions_with_children(q.pk for q in questions)
    out = []
    for question in sorted(rows.values(), key=lambda q: q.pk):
        image = None
        if question.image:
            with question.image.file.open("rb") as handle:
                image = (handle.read(), question.image_alt_en, question.image_alt_fr)
        out.append((question.name, question.marks, question_content(question), image))
    return out


class TestService:
    def test_a_moodle_bank_becomes_nested_categories_with_named_questions(self, site):
        report = questions_import(data=XML, filename="bank.xml")
        assert report.imported == 6 and report.skipped == 6
        assert categories() == [
            ("Cooperation", "Electronic evidence"),
            ("Electronic evidence", None),
            ("Preservation", "Electronic evidence"),
        ]
        question = Question.objects.get(name="Preservation request")
        assert question.category.name_en == "Preservation"
        assert question.text_fr == "<p>Quelle demande empêche la suppression des données ?</p>"
        assert question.image is not None and question.image_alt_fr == "Organigramme"
        thirds = Question.objects.get(name="Thirds")
        assert thirds.grading == "weights"
        assert [str(c.weight) for c in thirds.choices.order_by("sort_order")] == [
            "0.3333333", "0.3333333", "0.3333333", "-1.0000000"
        ]  # fmt: skip
        steps = Question.objects.get(name="Steps")
        assert steps.grading == "longest_ordered_subset"

    def test_importing_again_reuses_the_categories(self, site):
        questions_import(data=XML, filename="bank.xml")
        questions_import(data=XML, filename="bank.xml")
        assert len(categories()) == 3
        assert Question.objects.count() == 12

    def test_a_chosen_category_holds_the_file_s_categories(self, site):
        questions_import(data=XML, filename="bank.xml", category="Imports/2026")
        assert ("Electronic evidence", "2026") in categories()
        assert ("2026", "Imports") in categories()

    def test_without_categories_the_questions_go_into_one_named_after_the_file(self, site):
        questions_import(data=b"::Q::Vrai ?{T}", filename="my-bank.gift", language="fr")
        question = Question.objects.get()
        assert question.category.name_en == "my-bank"
        assert question.text_fr == "<p>Vrai ?</p>" and question.text_en == ""

    def test_a_dry_run_reports_everything_and_writes_nothing(self, site):
        images = get_image_model().objects.count()
        report = questions_import(data=XML, filename="bank.xml", dry_run=True)
        assert report.dry_run and report.imported == 6 and report.skipped == 6
        assert not Question.objects.exists() and not QuestionCategory.objects.exists()
        assert get_image_model().objects.count() == images

    def test_a_refused_file_writes_nothing(self, site):
        broken = XML.replace(b'fraction="50"', b'fraction="half"')
        with pytest.raises(InterchangeError):
            questions_import(data=broken, filename="bank.xml")
        assert not Question.objects.exists() and not QuestionCategory.objects.exists()

    def test_a_question_nobody_could_answer_is_skipped_with_a_translated_reason(self, site):
        xml = (
            b'<quiz><question type="multichoice"><name><text>None right</text></name>'
            b"<questiontext><text>Q</text></questiontext><single>true</single>"
            b'<answer fraction="0"><text>A</text></answer>'
            b'<answer fraction="0"><text>B</text></answer></question></quiz>'
        )
        with translation.override("fr"):
            report = questions_import(data=xml, filename="x.xml")
            messages = [str(note.message) for note in report.notes]
        assert report.imported == 0
        assert not Question.objects.exists()
        assert messages == [
            "on ne peut pas y répondre en l’état : Avec ces pondérations, personne ne peut "
            "obtenir la note maximale : donnez à un choix la pondération 1 (choix unique) ou "
            "des pondérations positives dont la somme fait 1 (réponses multiples)."
        ]


class TestRoundTrips:
    def test_moodle_xml_export_then_import_reproduces_the_questions(self, site):
        questions_import(data=XML, filename="bank.xml")
        first = list(Question.objects.all())
        data, _notes = questions_file(
            category_questions(QuestionCategory.objects.get(parent=None)), file_format="moodle_xml"
        )
        questions_import(data=data, filename="again.xml", category="Copy")
        second = list(Question.objects.exclude(pk__in=[q.pk for q in first]))
        assert len(second) == len(first) == 6
        assert snapshot(second) == snapshot(first)
        copy = QuestionCategory.objects.get(name_en="Preservation", parent__parent__name_en="Copy")
        assert copy.questions.count() == 3

    def test_gift_export_then_import_reproduces_the_questions(self, site):
        questions_import(data=GIFT, filename="bank.gift")
        first = list(Question.objects.all())
        data, _notes = questions_file(
            category_questions(QuestionCategory.objects.get(parent=None)), file_format="gift"
        )
        questions_import(data=data, filename="again.gift", category="Copy")
        second = list(Question.objects.exclude(pk__in=[q.pk for q in first]))
        assert snapshot(second) == snapshot(first)

    def test_questions_written_here_go_to_moodle_and_come_back(self, site):
        quiz = make_quiz()
        bank = quiz_questions(quiz)
        again = moodle_xml.parse(moodle_xml.write(bank))
        assert [q.data for q in again.questions] == [q.data for q in bank]
        text, _notes = gift.write(bank)
        assert [q.data["type"] for q in gift.parse(text.encode()).questions] == [
            q.data["type"] for q in bank
        ]

    def test_the_course_package_carries_the_new_grading_keys_and_stays_valid(self, site):
        questions_import(data=XML, filename="bank.xml")
        quiz = make_quiz(questions=list(Question.objects.order_by("pk")))
        package = quiz_export(quiz)
        keys = {q.get("grading") for q in package["questions"]}
        assert {"weights", "longest_ordered_subset", None} <= keys
        assert any("distractors" in q for q in package["questions"])
        assert any("weight" in c for q in package["questions"] for c in q.get("choices", []))
        assert quiz_validate(package, "quiz") == []


class TestScoredAsMoodle:
    def submit(self, quiz, choose):
        learner = LearnerFactory()
        attempt = services.attempt_start(user=learner, quiz=quiz, language="en")
        entry = attempt.layout[0]
        question = Question.objects.get(pk=entry["question"])
        services.attempt_save_answers(attempt=attempt, answers={question.pk: choose(question)})
        return services.attempt_submit(attempt=attempt)

    def test_three_thirds_earn_full_marks_and_a_wrong_one_takes_them_away(self, site):
        questions_import(data=XML, filename="bank.xml")
        thirds = Question.objects.get(name="Thirds")
        quiz = make_quiz(questions=[thirds], slug="thirds")
        ids = list(thirds.choices.order_by("sort_order").values_list("pk", flat=True))
        assert self.submit(quiz, lambda q: frozenset(ids[:3])).score == 100
        assert self.submit(quiz, lambda q: frozenset(ids[:2])).score == Decimal("66.67")
        assert self.submit(quiz, lambda q: frozenset(ids)).score == 0

    def test_an_ordering_question_is_graded_by_its_grading_type(self, site):
        questions_import(data=XML, filename="bank.xml")
        steps = Question.objects.get(name="Steps")
        quiz = make_quiz(questions=[steps], slug="steps")
        items = list(steps.items.order_by("sort_order").values_list("pk", flat=True))
        # Longest ordered subset: Request Receive Analyse of 4, Preserve last → 3/4.
        answer = {items[1]: 1, items[2]: 2, items[3]: 3, items[0]: 4}
        assert self.submit(quiz, lambda q: answer).score == 75

    def test_a_matching_question_offers_the_distractor_and_is_reviewed(self, site, client):
        questions_import(data=XML, filename="bank.xml")
        matching = Question.objects.get(name="Who holds what")
        quiz = make_quiz(questions=[matching], slug="match")
        learner = LearnerFactory()
        attempt = services.attempt_start(user=learner, quiz=quiz, language="en")
        entry = attempt.layout[0]
        assert len(entry["prompts"]) == 3 and len(entry["options"]) == 3  # 2 answers + court
        page = attempt_page(attempt=attempt, quiz=quiz)
        html = str(page.form.questions[0].fields[0])
        assert "The court" in html
        pairs = {p.prompt_en: p for p in matching.pairs.all()}
        operator = pairs["Subscriber name"].pk  # one option for the answer both prompts share
        answer = {
            pairs["Subscriber name"].pk: operator,
            pairs["Call records"].pk: operator,
            pairs["Posts"].pk: pairs[""].pk,  # the distractor: wrong
        }
        client.force_login(learner)
        response = client.post(
            f"/en/quizzes/attempts/{attempt.pk}/", post_data(attempt, {matching.pk: answer})
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.url.endswith("/result/"), response.url
        attempt.refresh_from_db()
        assert attempt.score == Decimal("66.67")
        review = attempt_result(attempt=attempt, quiz=quiz).review[0]
        assert [line.right for line in review.lines] == [True, True, False]

    def test_the_question_image_is_shown_in_the_attempt(self, site, client):
        questions_import(data=XML, filename="bank.xml")
        question = Question.objects.get(name="Preservation request")
        quiz = make_quiz(questions=[question], slug="image")
        learner = LearnerFactory()
        attempt = services.attempt_start(user=learner, quiz=quiz, language="fr")
        client.force_login(learner)
        html = client.get(f"/fr/quizzes/attempts/{attempt.pk}/").content.decode()
        assert 'class="quiz-question__image"' in html and 'alt="Organigramme"' in html


class TestCommands:
    def test_import_questions_prints_the_report(self, site):
        out = StringIO()
        call_command("import_questions", str(FIXTURES / "bank.moodle.xml"), stdout=out)
        text = out.getvalue()
        assert "skipped: Acronym: short-answer questions are not supported" in text
        assert "changed: Preservation request: hints are not imported" in text
        assert "Imported (Moodle XML) 6 question(s), 6 skipped" in text
        assert Question.objects.count() == 6

    def test_dry_run_writes_nothing(self, site):
        out = StringIO()
        call_command("import_questions", str(FIXTURES / "bank.gift.txt"), "--dry-run", stdout=out)
        assert "Dry run (GIFT), nothing written: would import 9 question(s)" in out.getvalue()
        assert not Question.objects.exists()

    def test_language_and_category_options(self, site):
        call_command(
            "import_questions",
            str(FIXTURES / "windows-1252.gift"),
            "--language", "fr", "--category", "Entraide/Étapes",
            stdout=StringIO(),
        )  # fmt: skip
        question = Question.objects.get()
        assert question.text_fr.startswith("<p>Quelle étape")
        assert question.category.name_en == "Étapes"
        assert question.category.parent.name_en == "Entraide"

    def test_a_refused_file_is_an_error_and_writes_nothing(self, site, tmp_path):
        bad = tmp_path / "bad.txt"
        bad.write_text("::Q::Open {=a ~b\n")
        with pytest.raises(CommandError, match="Line 1: the answer block"):
            call_command("import_questions", str(bad), stdout=StringIO())
        assert not Question.objects.exists()
        with pytest.raises(CommandError, match="no-such"):
            call_command("import_questions", str(tmp_path / "no-such.xml"))

    def test_export_questions_by_category_and_by_quiz(self, site, tmp_path):
        call_command("import_questions", str(FIXTURES / "bank.moodle.xml"), stdout=StringIO())
        target = tmp_path / "out.xml"
        call_command(
            "export_questions", str(target), "--category", "Electronic evidence", stdout=StringIO()
        )
        assert len(moodle_xml.parse(target.read_bytes()).questions) == 6
        quiz = make_quiz(slug="exported")
        target = tmp_path / "quiz.gift"
        call_command("export_questions", str(target), "--quiz", "exported", stdout=StringIO())
        assert len(gift.parse(target.read_bytes()).questions) == 5
        with pytest.raises(CommandError):
            call_command("export_questions", str(target), "--category", "Nowhere")
        assert quiz.pk


class TestAdmin:
    url = "/admin/quizzes/questions/import/"

    def upload(self, client, content, name, **fields):
        return client.post(
            self.url, {"file": SimpleUploadedFile(name, content), "language": "en", **fields}
        )

    def test_a_trainer_imports_a_file_and_reads_the_report(self, client, site):
        client.force_login(TrainerFactory())
        assert client.get(self.url).status_code == 200
        response = self.upload(client, XML, "bank.xml")
        html = response.content.decode()
        assert response.status_code == 200
        assert "6 questions imported." in html
        assert "short-answer questions are not supported" in html
        assert Question.objects.count() == 6

    def test_check_only_writes_nothing(self, client, site):
        client.force_login(TrainerFactory())
        html = self.upload(client, GIFT, "bank.gift", dry_run="on").content.decode()
        assert "9 questions would be imported." in html
        assert not Question.objects.exists()

    def test_a_refused_file_is_explained_in_the_trainer_s_language(self, client, site):
        client.force_login(TrainerFactory(preferred_language="fr"))
        with translation.override("fr"):
            response = client.post(
                self.url,
                {"file": SimpleUploadedFile("b.txt", b"::Q::Open {=a ~b\n"), "language": "fr"},
                HTTP_ACCEPT_LANGUAGE="fr",
            )
        html = response.content.decode()
        assert "rien n’a été importé" in html or "rien n'a été importé" in html, html[:3000]
        assert not Question.objects.exists()

    def test_learners_cannot_import(self, client, site):
        client.force_login(LearnerFactory())
        assert client.get(self.url).status_code in (302, 403)

    def test_the_menu_offers_import(self, client, site):
        client.force_login(TrainerFactory())
        html = client.get(reverse("wagtailsnippets_quizzes_question:list")).content.decode()
        assert self.url in html

    def test_a_trainer_downloads_a_category_and_a_quiz(self, client, site):
        questions_import(data=XML, filename="bank.xml")
        client.force_login(TrainerFactory())
        top = QuestionCategory.objects.get(parent=None)
        listing = client.get(
            reverse("wagtailsnippets_quizzes_questioncategory:list")
        ).content.decode()
        assert f"/admin/quizzes/questions/export/?category={top.pk}&amp;format=gift" in listing
        response = client.get(
            f"/admin/quizzes/questions/export/?category={top.pk}&format=moodle_xml"
        )
        assert response["Content-Disposition"] == 'attachment; filename="electronic-evidence.xml"'
        assert len(moodle_xml.parse(response.content).questions) == 6
        quiz = make_quiz(slug="dl")
        response = client.get(f"/admin/quizzes/questions/export/?quiz={quiz.pk}&format=gift")
        assert len(gift.parse(response.content).questions) == 5
        assert client.get("/admin/quizzes/questions/export/?category=nope").status_code != 200

    def test_learners_cannot_export(self, client, site):
        client.force_login(LearnerFactory())
        assert client.get("/admin/quizzes/questions/export/?category=1").status_code in (302, 403)
