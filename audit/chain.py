"""Checking the audit chain: has any entry been edited, removed, moved, re-chained or cut off?

Each entry stores the hash of the entry before it (``prev_hash``) and a keyed
hash of its own content chained to it (``entry_hash``, an HMAC under the key its
``key_id`` names, see :mod:`audit.keys`). Walking the entries in the order they
were written and recomputing both finds:

* an edited entry: its content no longer gives its ``entry_hash`` — also when
  the hashes after it were recomputed by someone without the key;
* a deleted entry: the next one's ``prev_hash`` names a hash that is not there;
* reordered entries (ids swapped): a ``prev_hash`` no longer names its predecessor;
* an entry signed with a key no longer configured: it cannot be checked.

The anchors written outside the database (:mod:`audit.anchors`) add what the
chain alone cannot show:

* an anchored entry that is gone (removed, and the chain re-linked around it);
* an anchored entry with another hash (the chain rewritten with the key);
* a chain that ends before the newest anchor (the newest entries cut off).

Used by ``manage.py verify_audit_chain``, ``anchor_audit_chain``, the principal's
report and the check after a restore. The walk reads rows in chunks, as tuples,
so 500,000 entries take seconds and little memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from audit.anchors import Anchor, AnchorFileError, effective_anchors, read_anchors
from audit.keys import key_for, keyed_digest
from audit.log import GENESIS, HASHED_COLUMNS, hashed_values
from audit.models import AuditEntry

__all__ = ["PROBLEMS", "ChainResult", "verify", "verify_since_anchor"]

# Problems, as stable codes: the command prints them, the report translates them.
EDITED = "edited"
LINK_BROKEN = "link_broken"
UNKNOWN_KEY = "unknown_key"
ANCHOR_MISSING = "anchor_missing"
ANCHOR_MISMATCH = "anchor_mismatch"
TRUNCATED = "truncated"
ANCHORS_UNREADABLE = "anchors_unreadable"

# For the command line and logs (untranslated), then for the report (translated).
_DESCRIPTIONS = {
    EDITED: "its content does not match its hash (edited)",
    LINK_BROKEN: "it does not follow the entry before it (an entry was deleted or moved)",
    UNKNOWN_KEY: "it was signed with a key that is not in AUDIT_CHAIN_KEYS (cannot be checked)",
    ANCHOR_MISSING: "this anchored entry is missing (removed and the chain re-linked)",
    ANCHOR_MISMATCH: "this anchored entry has another hash than its anchor (chain rewritten)",
    TRUNCATED: "the chain ends before this anchored entry (the newest entries were removed)",
    ANCHORS_UNREADABLE: "the anchor file cannot be read (damaged or edited)",
}
PROBLEMS = {
    EDITED: _("Entry %(pk)s was edited: its content no longer matches its hash."),
    LINK_BROKEN: _(
        "Entry %(pk)s does not follow the entry before it: an entry was deleted or moved."
    ),
    UNKNOWN_KEY: _(
        "Entry %(pk)s was signed with a key the site no longer has, so it cannot be checked."
    ),
    ANCHOR_MISSING: _(
        "Entry %(pk)s, recorded in an anchor outside the database, is missing: it was deleted."
    ),
    ANCHOR_MISMATCH: _(
        "Entry %(pk)s differs from its anchor outside the database: the log was rewritten."
    ),
    TRUNCATED: _(
        "The log ends before entry %(pk)s, recorded in an anchor outside the database: "
        "the newest entries were deleted."
    ),
    ANCHORS_UNREADABLE: _("The anchor file outside the database cannot be read: it was damaged."),
}

_ROW = ("pk", *HASHED_COLUMNS, "prev_hash", "entry_hash")


@dataclass(frozen=True)
class ChainResult:
    """The outcome of :func:`verify`.

    ``checked`` counts the entries that verified before the first problem (all
    of them when ``ok``), and ``per_school`` the same by school id (None for
    entries of no school), so a principal is shown only their school's figure;
    ``broken_pk`` is the first entry that does not verify (or the anchored
    entry that is missing), with ``problem`` saying how. ``anchors`` counts the
    anchored entries checked; ``latest_anchor`` is the newest anchor line, and
    ``since`` the verified anchor up to which :func:`verify_since_anchor`
    trusted the hourly full check (None after a full walk).
    """

    ok: bool
    checked: int
    broken_pk: int | None = None
    problem: str = ""
    per_school: dict[int | None, int] = field(default_factory=dict)
    anchors: int = 0
    latest_anchor: Anchor | None = None
    since: Anchor | None = None

    def describe(self) -> str:
        """A one-line, untranslated summary for the command line and logs."""
        anchored = f"{self.anchors} anchored entries matched"
        if self.ok:
            return f"OK: {self.checked} entries, chain intact, {anchored}."
        how = _DESCRIPTIONS.get(self.problem, self.problem)
        where = f"entry {self.broken_pk}" if self.broken_pk is not None else "the anchors"
        return f"BROKEN at {where}: {how}. {self.checked} entries before it verified."

    def message(self) -> str:
        """The problem in the reader's language (empty when the chain is intact)."""
        if self.ok:
            return ""
        return str(PROBLEMS[self.problem]) % {"pk": self.broken_pk}

    def checked_for(self, school_ids) -> int:
        """How many of the verified entries belong to ``school_ids``."""
        return sum(self.per_school.get(school_id, 0) for school_id in school_ids)


def _walk(
    rows,
    expected_prev: str,
    expected: dict[int, str],
    pending: list[int],
    checked: int,
    per_school: dict[int | None, int],
    latest: Anchor | None,
    since: Anchor | None = None,
) -> ChainResult:
    """Check ``rows`` (tuples of ``_ROW``, in id order) following the entry whose hash is
    ``expected_prev``; ``pending`` lists the anchored ids still to meet, ascending."""
    position = 0
    keys: dict[str, bytes | None] = {}

    def broken(pk: int | None, problem: str) -> ChainResult:
        return ChainResult(
            False, checked, pk, problem, per_school, anchored + position, latest, since
        )

    anchored = len(expected) - len(pending)
    for row in rows:
        pk, prev_hash, entry_hash = row[0], row[-2], row[-1]
        if position < len(pending) and pending[position] < pk:
            return broken(pending[position], ANCHOR_MISSING)
        if prev_hash != expected_prev:
            return broken(pk, LINK_BROKEN)
        key_id = row[-3]
        if key_id not in keys:
            keys[key_id] = key_for(key_id)
        key = keys[key_id]
        if key is None:
            return broken(pk, UNKNOWN_KEY)
        if keyed_digest(key, prev_hash, hashed_values(*row[1:-2])) != entry_hash:
            return broken(pk, EDITED)
        if position < len(pending) and pending[position] == pk:
            if expected[pk] != entry_hash:
                return broken(pk, ANCHOR_MISMATCH)
            position += 1
        expected_prev = entry_hash
        checked += 1
        school = row[4]
        per_school[school] = per_school.get(school, 0) + 1
    if position < len(pending):
        return broken(pending[position], TRUNCATED)
    return ChainResult(True, checked, None, "", per_school, anchored + position, latest, since)


def _rows(chunk_size: int, after: int = 0):
    entries = AuditEntry.objects.filter(pk__gt=after) if after else AuditEntry.objects.all()
    return entries.order_by("pk").values_list(*_ROW).iterator(chunk_size=chunk_size)


def verify(chunk_size: int = 2000, anchors: list[Anchor] | None = None) -> ChainResult:
    """Walk every entry in id order and return where the chain first breaks, if it does.

    ``anchors`` defaults to those in ``AUDIT_ANCHOR_FILE``.
    """
    if anchors is None:
        try:
            anchors = read_anchors()
        except AnchorFileError:
            return ChainResult(False, 0, None, ANCHORS_UNREADABLE)
    latest = anchors[-1] if anchors else None
    expected = effective_anchors(anchors)
    return _walk(_rows(chunk_size), GENESIS, expected, sorted(expected), 0, {}, latest)


def verify_since_anchor(chunk_size: int = 2000) -> ChainResult:
    """Verify what was written since the newest anchor whose full check passed; fast for the report.

    The anchor command checks the whole chain every hour and writes the outcome
    on its line. This trusts that check for the entries up to the newest
    verified anchor, still requires every anchored entry to be there with its
    anchored hash (one query), and walks only the entries after it. An anchor
    line saying the chain was broken is reported as it is. Without a verified
    anchor it is :func:`verify`. ``since`` on the result names the anchor
    trusted, so the report can say up to where the full check was done, and when.
    """
    try:
        anchors = read_anchors()
    except AnchorFileError:
        return ChainResult(False, 0, None, ANCHORS_UNREADABLE)
    if not anchors:
        return verify(chunk_size, anchors)
    latest = anchors[-1]
    if not latest.verified:
        return ChainResult(False, 0, latest.broken, latest.problem or EDITED, {}, 0, latest)
    expected = effective_anchors(anchors)
    trusted = [a for a in anchors if a.verified and a.entry and expected.get(a.entry) == a.hash]
    since = trusted[-1] if trusted else None
    if since is None:
        return verify(chunk_size, anchors)
    ids = sorted(expected)
    found: dict[int, str] = {}
    for start in range(0, len(ids), 500):  # an hourly anchor makes 8,760 ids a year
        batch = AuditEntry.objects.filter(pk__in=ids[start : start + 500])
        found.update(batch.values_list("pk", "entry_hash"))
    newest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for pk in ids:
        if pk not in found:
            problem = TRUNCATED if pk > newest else ANCHOR_MISSING
            return ChainResult(False, 0, pk, problem, {}, 0, latest, since)
        if found[pk] != expected[pk]:
            return ChainResult(False, 0, pk, ANCHOR_MISMATCH, {}, 0, latest, since)
    per_school = dict(
        AuditEntry.objects.filter(pk__lte=since.entry)
        .order_by()
        .values("school_id_value")
        .annotate(n=Count("pk"))
        .values_list("school_id_value", "n")
    )
    pending = sorted(pk for pk in expected if pk > since.entry)
    return _walk(
        _rows(chunk_size, after=since.entry),
        since.hash,
        expected,
        pending,
        sum(per_school.values()),
        per_school,
        latest,
        since,
    )
