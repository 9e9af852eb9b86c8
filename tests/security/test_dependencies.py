"""The core apps never depend on `security`: it plugs itself in (settings naming its forms, the
audit signal, the Preferences sections registry), so it can change or go without them noticing."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE_APPS = ("cms", "courses", "quizzes")
# The project's wiring names every app, as INSTALLED_APPS does: settings and the root URLconf.
WIRING = {ROOT / "cms" / "urls.py"}
_NAMES_SECURITY = re.compile(r"^security(?:$|[.:])")
_TEMPLATE_REFERENCE = re.compile(r"""\{%\s*(?:url|include|extends)\s+["']security[:/]""")


def core_files(pattern: str):
    for app in CORE_APPS:
        for path in sorted((ROOT / app).rglob(pattern)):
            if "settings" in path.relative_to(ROOT).parts or path in WIRING:
                continue
            yield path


def references(source: str) -> list[str]:
    """What in `source` (Python) names the security app: imports, and dotted paths in strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _NAMES_SECURITY.match(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module and _NAMES_SECURITY.match(node.module):
                found.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # import_string("security.…"), include("security.urls"), reverse("security:…")
            found += [repr(node.value)] if _NAMES_SECURITY.match(node.value) else []
    return found


def test_the_core_apps_import_nothing_from_security():
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in core_files("*.py")
        for name in references(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_core_templates_link_to_nothing_of_security():
    found = [
        str(path.relative_to(ROOT))
        for path in core_files("*.html")
        if _TEMPLATE_REFERENCE.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from security.forms import LockoutAuthenticationForm",
        "import security.lockout",
        "from security import lockout",
        "form = import_string('security.forms.AnyForm')",
        "url = reverse('security:two_factor')",
    ],
)
def test_the_scan_sees_each_way_of_depending_on_security(source):
    assert references(source) != []


def test_the_scan_ignores_names_that_only_look_alike():
    assert references("import securityish\nfrom .security import x\ntext = 'security app'") == []
