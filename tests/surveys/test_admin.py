"""Trainers edit surveys in the page editor, every language's fields included."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_editor_shows_a_survey_with_its_questions(client, survey):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(f"/admin/pages/{survey.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("intro_ar", "questions-0-text_fr", "questions-3-options_ar", "anonymous"):
        assert f'name="{name}"' in html, name
    add = client.get(f"/admin/pages/add/surveys/surveypage/{survey.get_parent().pk}/")
    assert add.status_code == 200
