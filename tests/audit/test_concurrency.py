"""Entries appended at the same time from several connections still form one chain.

Each gunicorn worker appends through its own database connection. Without a
lock taken before the newest hash is read, two workers could both chain to the
same entry, and the audit would look tampered with when it was not.
"""

import threading

import pytest
from django.db import connection, connections

from audit import chain
from audit.log import record
from audit.models import Action, AuditEntry

# Committed rows, so each thread's connection sees the others'. serialized_rollback:
# the flush after the test would otherwise take the rows the migrations created
# (role groups, the default site) from the tests after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 4
EACH = 25


def append_many(errors: list) -> None:
    try:
        for n in range(EACH):
            record(None, Action.VIEW, school=1, target=f"case:{n}")
    except Exception as exc:  # reported by the test below
        errors.append(exc)
    finally:
        connections.close_all()


# pytest-django's SQLite test database is a shared-cache memory database, whose
# table locks fail at once instead of waiting as a database file's do; the SQLite
# lock in audit.log.record was checked by hand with four processes on a file.
@pytest.mark.skipif(connection.vendor == "sqlite", reason="the SQLite test database is in memory")
def test_concurrent_appends_make_one_intact_chain():
    errors: list = []
    threads = [threading.Thread(target=append_many, args=(errors,)) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEntry.objects.count() == WORKERS * EACH
    result = chain.verify(anchors=[])
    assert result.ok, result.describe()
