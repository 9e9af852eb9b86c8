"""Every interface string exists in Arabic and French: no untranslated or fuzzy entry."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {lang: ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("ar", "fr")}


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    assert len(catalogue) > 30
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert catalogue.percent_translated() == 100


def test_arabic_catalogue_keeps_six_plural_forms():
    catalogue = polib.pofile(str(CATALOGUES["ar"]))
    assert "nplurals=6" in catalogue.metadata["Plural-Forms"]
    for entry in catalogue:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 6 and all(entry.msgstr_plural.values())


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for entry in polib.pofile(str(CATALOGUES[language])):
        expected = sorted(pattern.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(pattern.findall(text)) == expected or entry.msgid_plural, entry.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Extract strings afresh; any msgid missing from the committed catalogues fails."""
    apps = [p for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()]
    for src in [*apps, ROOT / "manage.py"]:
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / src.name)
    (tmp_path / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
    )
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / "locale/fr/LC_MESSAGES/django.po"))}
    for language, path in CATALOGUES.items():
        committed = {e.msgid for e in polib.pofile(str(path)) if e.translated()}
        assert sorted(extracted - committed) == [], f"missing from locale/{language}"
