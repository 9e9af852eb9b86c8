"""The audit trail in the admin reads as sentences with linked objects, in three languages."""

import re

import pytest
from django.utils import translation

from cms.services import user_set_preferred_language
from quizzes.services import attempt_save_answers, attempt_start, attempt_submit
from security import lockout
from security.audit import Action, audit_log
from security.models import AuditEntry, Lockout
from tests.factories import LearnerFactory
from tests.quizzes.factories import make_quiz, right_answers

from .conftest import sign_in

pytestmark = pytest.mark.django_db
URL = "/admin/security/audit/"


def rows(page: str) -> list[str]:
    """The text of each row of the listing, tags removed, spaces collapsed."""
    if 'class="listing"' not in page:
        return []
    table = page.split('class="listing"', 1)[1]
    body = table.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    cells = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


@pytest.fixture
def amina(db):
    return LearnerFactory(username="amina", first_name="Amina", last_name="Haddad")


@pytest.fixture
def attempt_two(site, amina):
    quiz = make_quiz(slug="preservation", pass_mark=50)
    first = attempt_start(user=amina, quiz=quiz)
    attempt_submit(attempt=first)
    second = attempt_start(user=amina, quiz=quiz)
    answers = right_answers(second)
    attempt_save_answers(attempt=second, answers=dict(list(answers.items())[:4]))
    return quiz, attempt_submit(attempt=second)


def test_a_quiz_submission_reads_as_a_sentence_with_links(client, admin_user, amina, attempt_two):
    quiz, attempt = attempt_two
    client.force_login(admin_user)
    page = client.get(URL, {"action": "quiz_submitted"}).content.decode()
    assert attempt.number == 2 and attempt.score == 80
    assert "Amina Haddad submitted attempt 2 at Quiz preservation (score 80%)" in rows(page)[0]
    assert "Amina Haddad submitted attempt 1 at Quiz preservation (score 0%)" in rows(page)[1]
    assert f'href="/admin/users/edit/{amina.pk}/"' in page
    assert f'href="/admin/pages/{quiz.pk}/edit/"' in page
    assert "quizzes.quizattempt" not in page and "#" + str(attempt.pk) not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "Amina Haddad a soumis la tentative 2 du quiz Quiz preservation fr (note : 80 %)",
        ),
        (
            "ar",
            "تسليم Amina Haddad المحاولة 2 في اختبار اختبار preservation (الدرجة 80\u200e%\u200e)",
        ),
    ],
)
def test_the_trail_reads_in_the_administrators_language(
    client, admin_user, amina, attempt_two, language, expected
):
    user_set_preferred_language(user=admin_user, language=language)
    client.force_login(admin_user)
    page = client.get(URL, {"action": "quiz_submitted"}).content.decode()
    assert f'lang="{language}"' in page
    assert expected in rows(page)[0]
    # rows() collapses spaces; French sets a narrow no-break space before the sign.
    assert {"fr": "80\u202f%", "ar": "80\u200e%\u200e"}[language] in page


def test_a_sentence_survives_the_learner_and_the_quiz_being_deleted(admin_user, amina, attempt_two):
    from security.audit_trail import entries_describe

    quiz, _attempt = attempt_two
    entry = AuditEntry.objects.filter(action=Action.QUIZ_SUBMITTED).latest("pk")
    quiz.delete()
    (described,) = entries_describe([AuditEntry.objects.get(pk=entry.pk)])
    text = re.sub(r"<[^>]+>", "", str(described.sentence))
    assert text.startswith("Amina Haddad submitted attempt 2 at ")
    assert "(score 80%)" in text


def test_sign_ins_lockouts_and_lifts_read_as_sentences(client, admin_user, learner, password):
    for _ in range(10):
        sign_in(client, "learner", "wrong-password!", REMOTE_ADDR="192.0.2.5")
    lockout.lockout_lift(lockout=Lockout.objects.get(), by=admin_user)
    sign_in(client, "learner", password, REMOTE_ADDR="192.0.2.5")
    client.logout()
    learner_name, admin_name = learner.get_full_name(), admin_user.get_full_name()
    client.force_login(admin_user)
    listed = [row.split(" ", 2)[2] for row in rows(client.get(URL).content.decode())]
    assert listed[:5] == [
        f"{admin_name} signed in",
        f"{learner_name} signed out",
        f"{learner_name} signed in 192.0.2.5",
        f"{admin_name} lifted the lockout of learner from 192.0.2.5",
        "Signing in as learner from 192.0.2.5 is locked after too many failures 192.0.2.5",
    ]
    assert listed[5] == "Failed sign-in as learner 192.0.2.5"


def test_every_action_has_a_sentence_of_its_own():
    from security.audit_trail import SENTENCES

    assert set(SENTENCES) == set(Action.values)


def test_entries_without_the_facts_fall_back_to_a_plain_line(admin_user, amina):
    from security.audit_trail import entries_describe

    entry = audit_log(action=Action.USERS_IMPORTED, user=admin_user, detail="3 users")
    (described,) = entries_describe([entry])
    assert "Users imported" in str(described.sentence) and "3 users" in str(described.sentence)


def test_names_cannot_inject_markup(client, admin_user):
    sign_in(client, "<script>alert(1)</script>", "wrong-password!")
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_costs_the_same_queries_for_10_or_50_entries(
    client, admin_user, django_assert_max_num_queries
):
    def entries(count):
        for n in range(count):
            user = LearnerFactory(username=f"person{n}")
            audit_log(action=Action.SIGN_IN, user=user)
            audit_log(action=Action.ROLE_CHANGED, obj=user, detail="added: Trainers")
            audit_log(action=Action.LOCKOUT, data={"scope": "account", "username": f"person{n}"})

    client.force_login(admin_user)
    entries(4)
    client.get(URL)
    with django_assert_max_num_queries(14) as few:
        client.get(URL)
    entries(16)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL).content.decode()
    assert len(rows(page)) == 50


def test_the_trail_is_for_superusers_read_only_and_filters(client, learner, admin_user, password):
    sign_in(client, "learner", "bad-password")
    sign_in(client, "learner", password)
    client.logout()
    assert client.get(URL).status_code == 302
    client.force_login(learner)
    assert client.get(URL).status_code in (302, 403)
    client.force_login(admin_user)
    page = client.get(URL, {"action": "sign_in_failed"}).content.decode()
    assert rows(page) and all("Failed sign-in as learner" in row for row in rows(page))
    page = client.get(URL, {"user": "admin"}).content.decode()
    assert not any("learner" in row for row in rows(page))
    page = client.get(
        URL, {"created_at_from": "2000-01-01", "created_at_to": "2000-01-02"}
    ).content.decode()
    assert not rows(page)
    entry = AuditEntry.objects.first()
    for path in ("new/", f"edit/{entry.pk}/", f"delete/{entry.pk}/"):
        assert client.get(f"{URL}{path}", follow=True).status_code == 404


def test_the_settings_menu_lists_the_trail_for_superusers_only(client, admin_user):
    from tests.factories import TrainerFactory

    client.force_login(admin_user)
    assert "/admin/security/audit/" in client.get("/admin/").content.decode()
    client.force_login(TrainerFactory())
    assert "/admin/security/audit/" not in client.get("/admin/").content.decode()


def test_every_sentence_is_translated():
    """Each sentence exists in French and Arabic (no English left in a translated page)."""
    from security.audit_trail import SENTENCES, EntryView, Objects

    entry = AuditEntry(action=Action.SIGN_IN, username="x", data={})
    for action, sentence in SENTENCES.items():
        entry.action = action
        entry.data = {"scope": "account", "username": "x", "number": 1, "score": "50", "count": 2}
        entry.detail = "added: Trainers" if action == Action.ROLE_CHANGED else ""
        view = EntryView(entry, Objects(users={}, users_by_name={}, pages={}))
        english = str(sentence(view))
        for language in ("fr", "ar"):
            with translation.override(language):
                assert str(sentence(view)) != english, (action, language)
