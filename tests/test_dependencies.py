"""Dependencies between the apps run one way: `quizzes → courses → cms`,
`reports → courses → cms` and `certificates → reports, courses, cms` (its report is one of the
reports, listed through `reports.navigation`). The core never imports the apps built on it,
nor `security`, which listens to the core's events. Read from the source (every import
statement and every `import_module("…")` of a literal name), migrations included, so no test
database is needed.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def imports_of(app: str, target: str) -> list[str]:
    """Every place in `app` that imports `target` or one of its modules."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for name in sorted(_imported_names(path)):
            if name == target or name.startswith(f"{target}."):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize(
    ("app", "target"),
    [
        ("cms", "courses"),
        ("cms", "quizzes"),
        ("cms", "reports"),
        ("courses", "quizzes"),
        ("courses", "reports"),
        ("quizzes", "reports"),
        ("cms", "certificates"),
        ("courses", "certificates"),
        ("quizzes", "certificates"),
        ("reports", "certificates"),
        ("cms", "workshops"),
        ("courses", "workshops"),
        ("quizzes", "workshops"),
        ("certificates", "workshops"),
        # Workshop certificates: the glue app imports both; neither imports it or the other.
        ("workshops", "certificates"),
        ("certificates", "workshop_certificates"),
        ("workshops", "workshop_certificates"),
        ("courses", "workshop_certificates"),
        ("cms", "workshop_certificates"),
        ("reports", "workshops"),
        # Surveys build on courses and read through reports' scope: neither imports them.
        ("cms", "surveys"),
        ("courses", "surveys"),
        ("quizzes", "surveys"),
        ("reports", "surveys"),
        # Workshops name surveys (needs assessment, evaluation); surveys reach workshops only
        # through their signal, response gates and results dimensions.
        ("surveys", "workshops"),
    ],
)
def test_the_core_never_imports_the_apps_built_on_it(app, target):
    assert imports_of(app, target) == []


# cms/views.py still reads the sign-in form from security; that import is being removed.
@pytest.mark.parametrize("app", ["courses", "quizzes"])
def test_the_core_never_imports_security(app):
    assert imports_of(app, "security") == []


# Offline (issue 17) is built on courses and quizzes; they reach it only through a template
# hook and a request header (courses.lesson_shell.is_stored_fetch), never by importing it.
@pytest.mark.parametrize("app", ["cms", "courses", "quizzes", "reports"])
def test_nothing_below_imports_offline(app):
    assert imports_of(app, "offline") == []


def test_the_scan_sees_imports_of_every_kind(tmp_path, monkeypatch):
    """The scan itself: plain, dotted, deferred (inside a function) and by name."""
    package = tmp_path / "sample"
    package.mkdir()
    (package / "a.py").write_text("import reports\n")
    (package / "b.py").write_text("def f():\n    from reports.scope import Scope\n")
    (package / "c.py").write_text(
        "from importlib import import_module\nimport_module('reports.views')\n"
    )
    (package / "d.py").write_text("from . import reports\nimport reportsx\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert imports_of("sample", "reports") == [
        "sample/a.py imports reports",
        "sample/b.py imports reports.scope",
        "sample/c.py imports reports.views",
    ]
