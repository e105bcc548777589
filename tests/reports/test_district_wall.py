"""The district side reads aggregates only, by construction: its roll-up and its views
import nothing of the case area, the counselling log, the learners or the concerns."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISTRICT_MODULES = ["reports/rollup.py", "reports/views/district.py", "reports/suppression.py"]
FORBIDDEN = {"forms_app", "counselling", "learners", "concerns"}


def imported_names(source: str) -> list[tuple[str, str]]:
    """(module, name) for every import in ``source``, wherever it is (a function's too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, "") for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            found.extend((module, alias.name) for alias in node.names)
    return found


def forbidden_imports(source: str) -> list[tuple[str, str]]:
    return [
        (module, name)
        for module, name in imported_names(source)
        if module.split(".")[0] in FORBIDDEN
    ]


@pytest.mark.parametrize("path", DISTRICT_MODULES)
def test_district_code_imports_no_record(path):
    assert forbidden_imports((ROOT / path).read_text()) == []


def test_the_check_catches_an_import_of_a_record():
    source = (
        "from forms_app.models import Case\n"
        "import counselling.models\n"
        "def f():\n"
        "    from learners.models import Learner\n"
        "from concerns import policy\n"
        "from forms_app.printing.layout import pdf_pages\n"
    )
    assert forbidden_imports(source) == [
        ("forms_app.models", "Case"),
        ("counselling.models", ""),
        ("concerns", "policy"),
        ("forms_app.printing.layout", "pdf_pages"),
        ("learners.models", "Learner"),
    ]
