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


# The case side's apps, and the one module of it the public side may import.
CASE_SIDE = ("forms_app", "learners", "concerns", "notifications", "counselling", "reports")
GATEWAY = "concerns.gateway"


def _case_side_imports(path: Path) -> set[str]:
    names = imported_modules(path)
    # "from concerns import gateway" names the package; it brings the gateway only.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "concerns":
            names.discard("concerns")
            names.update(f"concerns.{alias.name}" for alias in node.names)
    return {
        name
        for name in names
        if any(name == app or name.startswith(app + ".") for app in CASE_SIDE) and name != GATEWAY
    }


def test_public_modules_reach_the_case_side_only_through_the_gateway():
    offenders = {
        str(path.relative_to(ROOT)): sorted(found)
        for folder in ("pages", "schools", "config")
        for path in (ROOT / folder).rglob("*.py")
        if (found := _case_side_imports(path))
    }
    assert offenders == {}


def test_the_wall_check_sees_a_model_import(tmp_path):
    module = tmp_path / "view.py"
    module.write_text("from concerns.models import Concern\nfrom concerns import gateway\n")
    assert _case_side_imports(module) == {"concerns.models"}
    module.write_text("from concerns import gateway, models\nimport learners\n")
    assert _case_side_imports(module) == {"concerns.models", "learners"}
    module.write_text("from concerns import gateway\nimport concerns.gateway\n")
    assert _case_side_imports(module) == set()


def test_the_gateway_hands_out_no_model_objects():
    """Every public function of the gateway is annotated with plain values or frozen
    dataclasses of plain values, and nothing it exports is a model or a queryset."""
    import dataclasses
    import datetime
    import inspect
    import types
    import typing

    from django.db import models

    from concerns import gateway

    def plain(annotation) -> bool:
        if annotation in (str, int, bool, type(None), datetime.datetime):
            return True
        if typing.get_origin(annotation) in (tuple, typing.Union, types.UnionType):
            return all(plain(arg) for arg in typing.get_args(annotation) if arg is not Ellipsis)
        if dataclasses.is_dataclass(annotation):
            return annotation.__dataclass_params__.frozen and all(
                plain(hint) for hint in typing.get_type_hints(annotation).values()
            )
        return False

    exported = {name: getattr(gateway, name) for name in gateway.__all__}
    functions = {n: f for n, f in exported.items() if inspect.isfunction(f)}
    assert {"submit_help_request", "open_thread", "add_sender_reply"} <= set(functions)
    for name, function in functions.items():
        hints = typing.get_type_hints(function)
        assert "return" in hints, name
        assert all(plain(hint) for hint in hints.values()), (name, hints)
    for name, value in exported.items():
        assert not (inspect.isclass(value) and issubclass(value, models.Model | models.QuerySet)), (
            name
        )
