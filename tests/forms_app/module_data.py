"""Rows built once for a whole test module, the way Django's TestCase.setUpTestData
builds them once for a class.

A module that asks for them runs inside one transaction: the shared rows are
written in it before the module's first test that needs them, every test still
runs in its own savepoint (pytest-django's ``db``), rolled back after it, and the
transaction is rolled back after the module's last test. So a test may change a
shared row freely; the next test finds it as it was built. Nothing is committed,
so this works the same on SQLite and PostgreSQL.

Each test gets its own Python objects for the shared rows (read again, or
deep-copied), so what one test changes in memory, or caches on an object, does not
reach the next one either.

A test that commits (``transaction=True``, ``transactional_db``, ``live_server``)
cannot run inside a transaction that stays open: a module holding one is refused
here rather than left to fail in an obscure way.
"""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from django.db import transaction
from django.db.models import Model

T = TypeVar("T")

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_serialized_rollback"}


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


class ModuleData:
    """The open transaction of one test module, and a way to write rows in it."""

    def __init__(self, django_db_blocker) -> None:
        self._blocker = django_db_blocker

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Database access outside any test, for a module-scoped fixture to build its rows."""
        with self._blocker.unblock():
            yield

    def build(self, builder: Callable[..., T], *args, **kwargs) -> T:
        with self.writing():
            return builder(*args, **kwargs)


@contextmanager
def module_transaction(request: pytest.FixtureRequest, django_db_blocker) -> Iterator[ModuleData]:
    committing = [
        item.nodeid
        for item in request.session.items
        if getattr(item, "module", None) is request.module and is_transactional(item)
    ]
    if committing:
        pytest.fail(
            f"{request.module.__name__} shares rows built once for the module, which needs "
            f"every test to run inside its transaction; these commit: {committing}",
            pytrace=False,
        )
    data = ModuleData(django_db_blocker)
    with data.writing():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield data
    finally:
        with data.writing():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def fresh(row: T) -> T:
    """``row`` read again from the database: a new object, no cached relations or roles."""
    assert isinstance(row, Model)
    return type(row)._default_manager.get(pk=row.pk)


def copied(value: T) -> T:
    """A deep copy of shared objects for one test (as setUpTestData's class attributes are)."""
    return copy.deepcopy(value)
