"""The demo: its courses' modules show glossary links in every language, and the demo
glossary loads again without changing anything."""

import re

import pytest
from django.apps import apps
from django.utils import translation

from courses.models import ModulePage
from glossary.models import GlossaryVersion, Term

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="glossary-link" href="#glossary-[a-z0-9-]+">')


def test_demo_modules_link_their_terms_in_three_languages(site, client, learner):
    apps.get_app_config("courses").seed_demo()
    apps.get_app_config("glossary").seed_demo()
    assert Term.objects.count() >= 40
    version = GlossaryVersion.objects.get().value
    apps.get_app_config("glossary").seed_demo()
    assert GlossaryVersion.objects.get().value == version  # nothing changed
    client.force_login(learner)
    modules = ModulePage.objects.live().order_by("path")
    assert modules.count() >= 9
    for module in modules:
        for language in ("en", "fr", "ar"):
            with translation.override(language):
                html = client.get(module.get_url()).content.decode()
            assert len(LINK.findall(html)) >= 3, (module.slug, language)
