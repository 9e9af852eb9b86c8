"""The project's own CSS and JS are collected without comments or indentation
(cms.static_files.slim), every rule and statement kept, line for line; installed packages'
files are collected as they are (docs/page-weight.md)."""

import json
import re
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command

from cms.static_files import slim

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def collected(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "cms.static_files.HashedStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    return lambda name: (tmp_path / manifest[name]).read_text(encoding="utf-8")


def code_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_own_stylesheets_and_scripts_are_collected_slim_and_whole(collected):
    css_source = (ROOT / "static/css/tadrib.css").read_text(encoding="utf-8")
    css = collected("css/tadrib.css")
    assert "/*" not in css and "\n " not in css and "\n\n" not in css
    # What a first visit downloads (brotli): 3.2 KB before, 2.7 KB slim.
    assert len(brotli.compress(css.encode())) < 0.9 * len(brotli.compress(css_source.encode()))
    uncommented = re.sub(r"/\*.*?\*/", "", css_source, flags=re.S)
    # The same rules: only the hashed font address differs.
    same = lambda text: re.sub(r"\.[0-9a-f]{12}\.woff2", ".woff2", "".join(code_lines(text)))  # noqa: E731
    assert same(css) == same(uncommented)

    js_source = (ROOT / "static/js/offline.js").read_text(encoding="utf-8")
    js = collected("js/offline.js")
    assert not [line for line in js.splitlines() if line.lstrip().startswith("//")]
    assert code_lines(js) == [line for line in code_lines(js_source) if not line.startswith("//")]
    assert "(function () {" in js and js.rstrip().endswith("})();")


def test_installed_packages_files_are_collected_as_they_are(collected):
    import wagtail

    name = "wagtailadmin/js/vendor.js"
    source = Path(wagtail.__file__).parent / "admin/static" / name
    if not source.exists():
        pytest.skip(f"{name} is not shipped by this Wagtail")
    assert collected(name) == source.read_text(encoding="utf-8")


def test_slim_leaves_other_files_alone():
    assert slim("x.svg", "<svg>\n  <!-- a -->\n</svg>") == "<svg>\n  <!-- a -->\n</svg>"
    assert slim("x.js", "a();\n  // why\n  b(); // kept\n\n") == "a();\nb(); // kept\n"
    assert slim("x.js", "/* a\n   b */\nc(/* kept */);\n") == "c(/* kept */);\n"
    assert slim("x.js", "/* a */ b();\nc(/* d */\n);\n") == "/* a */ b();\nc(/* d */\n);\n"
    assert slim("x.css", "/* a */\na {\n  color: red; /* b */\n}\n") == "a {\ncolor: red; \n}\n"
