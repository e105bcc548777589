"""Tests of the case area, in rooms that mirror forms_app's own.

Two test modules that moved into rooms are still imported by their old dotted
names from outside this folder: ``tests/audit/test_recording.py`` reads the intake
wizard's helpers from ``tests.forms_app.test_intake_wizard`` and
``tests/schools/test_admin_matrix.py`` reads the case area's URL matrix from
``tests.forms_app.test_url_matrix``. Until those imports name the new places, the
old names resolve to the very same module objects (not copies, so the matrix's
``__file__`` still points at the source it searches for URL names).
"""

import importlib
import importlib.abc
import importlib.util
import sys

MOVED = {
    "tests.forms_app.test_intake_wizard": "tests.forms_app.wizards.test_intake_wizard",
    "tests.forms_app.test_url_matrix": "tests.forms_app.admin.test_url_matrix",
}


class _MovedModule(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old module name of ``MOVED`` and loads it as the module at its new name."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module) -> None:
        """Nothing to run: the module at the new name has run already."""


if not any(isinstance(finder, _MovedModule) for finder in sys.meta_path):
    sys.meta_path.append(_MovedModule())
