"""The public side never imports the case side (house style: "one wall that must stand")."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_public_module_imports_the_case_area():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("pages", "schools", "config")
        for path in (ROOT / folder).rglob("*.py")
        if any(m == "forms_app" or m.startswith("forms_app.") for m in imported_modules(path))
    ]
    assert offenders == []


def test_public_templates_never_touch_case_data():
    templates = [
        *(ROOT / "pages" / "templates").rglob("*.html"),
        *(ROOT / "site" / "templates").rglob("*.html"),
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for path in templates
        if "forms_app" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
