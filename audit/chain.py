"""Checking the audit chain: has any entry been edited, removed or moved?

Each entry stores the hash of the entry before it (``prev_hash``) and a hash of
its own content chained to it (``entry_hash``, see :func:`audit.log.entry_digest`).
Walking the entries in the order they were written and recomputing both finds:

* an edited entry: its content no longer gives its ``entry_hash``;
* a deleted entry: the next one's ``prev_hash`` names a hash that is not there;
* reordered entries (ids swapped): a ``prev_hash`` no longer names its predecessor.

Removing the newest entries leaves a shorter chain that still verifies: the
chain proves the past was not rewritten, not that nothing was cut off its end.
Used by ``manage.py verify_audit_chain`` and by the principal's report.
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.log import GENESIS, entry_digest, hashed_fields
from audit.models import AuditEntry

__all__ = ["ChainResult", "verify"]

# Problems, as stable codes: the command prints them, the report translates them.
EDITED = "edited"
LINK_BROKEN = "link_broken"


@dataclass(frozen=True)
class ChainResult:
    """The outcome of :func:`verify`.

    ``checked`` counts the entries that verified before the first problem (all
    of them when ``ok``); ``broken_pk`` is the first entry that does not, with
    ``problem`` saying how.
    """

    ok: bool
    checked: int
    broken_pk: int | None = None
    problem: str = ""

    def describe(self) -> str:
        """A one-line, untranslated summary for the command line and logs."""
        if self.ok:
            return f"OK: {self.checked} entries, chain intact."
        if self.problem == EDITED:
            how = "its content does not match its hash (edited)"
        else:
            how = "it does not follow the entry before it (an entry was deleted or moved)"
        return (
            f"BROKEN at entry {self.broken_pk}: {how}. {self.checked} entries before it verified."
        )


def verify(chunk_size: int = 2000) -> ChainResult:
    """Walk every entry in id order and return where the chain first breaks, if it does."""
    expected_prev = GENESIS
    checked = 0
    entries = AuditEntry.objects.order_by("pk").iterator(chunk_size=chunk_size)
    for entry in entries:
        if entry.prev_hash != expected_prev:
            return ChainResult(False, checked, entry.pk, LINK_BROKEN)
        if entry_digest(entry.prev_hash, hashed_fields(entry)) != entry.entry_hash:
            return ChainResult(False, checked, entry.pk, EDITED)
        expected_prev = entry.entry_hash
        checked += 1
    return ChainResult(True, checked)
