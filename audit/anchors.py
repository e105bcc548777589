"""Anchors: the newest entry's id and hash, written outside the database at intervals.

The keyed chain shows an entry edited or removed by someone without the key. It
cannot show, by itself, the newest entries cut off the end (what is left still
verifies), nor a chain rewritten by someone who has the key. So the tip of the
chain is copied, every hour (``manage.py anchor_audit_chain``, run by the
systemd timer in ``deploy/systemd/``), to an append-only file that is not in the
database (``AUDIT_ANCHOR_FILE``) and, when ``AUDIT_ANCHOR_EMAIL`` is set, to a
mailbox outside the server; the principal's report prints the latest one so it
can be copied to paper. :func:`audit.chain.verify` then requires every anchored
entry to be there with the anchored hash, and the chain to reach the newest
anchor.

One anchor is one JSON line: ``kind``, ``at`` (when it was written), ``entry``
(the newest entry's id, 0 for an empty audit), ``hash``, ``key_id``,
``entries`` (how many entries the audit held) and the outcome of the full check
made just before (``verified``, ``problem``, ``broken``). Kinds:

* ``anchor`` — the regular hourly line;
* ``rechain`` — written by the migration that re-chained every entry under the
  key: anchors before it name hashes that no longer exist and are set aside;
* ``restore`` — written by ``anchor_audit_chain --after-restore`` once a backup
  older than the newest anchors was restored: anchors of entries after the
  restored tip are set aside (the entries written between the backup and the
  restore are lost, and that line says so, in the file and in the e-mail).

Nothing here carries case data: ids, hashes, times and counts only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = [
    "KINDS",
    "Anchor",
    "AnchorFileError",
    "effective_anchors",
    "latest_anchor",
    "read_anchors",
    "write_anchor",
]

ANCHOR = "anchor"
RECHAIN = "rechain"
RESTORE = "restore"
KINDS = (ANCHOR, RECHAIN, RESTORE)


class AnchorFileError(Exception):
    """The anchor file cannot be read as anchors: a line was damaged or edited."""


@dataclass(frozen=True)
class Anchor:
    """One line of the anchor file.

    ``verified`` says whether the whole chain verified when the line was
    written (``problem`` and ``broken`` say how it did not): the report checks
    in full only what was written since the newest verified anchor, and trusts
    the hourly full check for the rest, so it stays fast at 500,000 entries.
    """

    kind: str
    at: datetime
    entry: int
    hash: str
    key_id: str
    entries: int
    verified: bool = False
    problem: str = ""
    broken: int | None = None

    def as_line(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "at": self.at.isoformat(),
                "entry": self.entry,
                "hash": self.hash,
                "key_id": self.key_id,
                "entries": self.entries,
                "verified": self.verified,
                "problem": self.problem,
                "broken": self.broken,
            },
            sort_keys=True,
        )

    @classmethod
    def from_line(cls, line: str) -> Anchor:
        data = json.loads(line)
        broken = data.get("broken")
        anchor = cls(
            kind=data["kind"],
            at=datetime.fromisoformat(data["at"]),
            entry=int(data["entry"]),
            hash=str(data["hash"]),
            key_id=str(data.get("key_id", "")),
            entries=int(data.get("entries", 0)),
            verified=data.get("verified") is True,
            problem=str(data.get("problem") or ""),
            broken=None if broken is None else int(broken),
        )
        if anchor.kind not in KINDS or anchor.entry < 0 or len(anchor.hash) != 64:
            raise ValueError("not an anchor")
        return anchor


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def read_anchors(path: Path | None = None) -> list[Anchor]:
    """Every anchor in the file, in the order written; none when there is no file yet."""
    path = path or anchor_path()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise AnchorFileError(f"{path} cannot be read: {exc.strerror}") from exc
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            anchors.append(Anchor.from_line(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorFileError(f"{path}, line {number}, is not an anchor.") from exc
    return anchors


def effective_anchors(anchors: list[Anchor]) -> dict[int, str]:
    """Entry id -> the hash it must have, once ``rechain`` and ``restore`` lines are applied."""
    expected: dict[int, str] = {}
    for anchor in anchors:
        if anchor.kind == RECHAIN:
            expected.clear()
        elif anchor.kind == RESTORE:
            expected = {pk: digest for pk, digest in expected.items() if pk <= anchor.entry}
        if anchor.entry > 0:
            expected[anchor.entry] = anchor.hash
    return expected


def latest_anchor(path: Path | None = None) -> Anchor | None:
    """The newest anchor, or None when there is none (or the file is unreadable)."""
    try:
        anchors = read_anchors(path)
    except AnchorFileError:
        return None
    return anchors[-1] if anchors else None


def append_line(path: Path, line: str) -> None:
    """Append one line, creating the file owner-only; O_APPEND never rewrites what is there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def tip(using: str = "default") -> tuple[int, str, str, int]:
    """The newest entry's id, hash and key id, and how many entries there are."""
    from audit.log import GENESIS
    from audit.models import AuditEntry

    entries = AuditEntry.objects.using(using)
    newest = entries.order_by("-pk").values_list("pk", "entry_hash", "key_id").first()
    if newest is None:
        return 0, GENESIS, "", 0
    return newest[0], newest[1], newest[2], entries.count()


def write_anchor(kind: str = ANCHOR, using: str = "default", path: Path | None = None):
    """Anchor the chain's tip now: verify the whole chain, then a line in the file and the e-mail.

    Returns the anchor and the verification's :class:`audit.chain.ChainResult`.
    The tip is anchored whatever the outcome (the line says it), so that later
    anchors never depend on the damage being repaired first.
    """
    from audit.chain import verify

    if kind not in KINDS:
        raise ValueError(kind)
    path = path or anchor_path()
    earlier = read_anchors(path)
    entry, digest, key_id, count = tip(using)
    anchor = Anchor(kind, timezone.now().replace(microsecond=0), entry, digest, key_id, count)
    # Checked with the new line among the anchors, as the next check will see it
    # (a restore line sets aside the anchors of the entries it declares lost).
    result = verify(anchors=[*earlier, anchor])
    anchor = replace(anchor, verified=result.ok, problem=result.problem, broken=result.broken_pk)
    append_line(path, anchor.as_line())
    recipients = list(getattr(settings, "AUDIT_ANCHOR_EMAIL", []) or [])
    if recipients:
        send_mail(
            _("Access log anchor: entry %(entry)s") % {"entry": anchor.entry},
            anchor_message(anchor),
            None,
            recipients,
        )
    return anchor, result


def anchor_message(anchor: Anchor) -> str:
    """The e-mail's body: ids, hash, time and count only, and what to do with them."""
    lines = [
        _("The newest entry of the access log, as written at this time."),
        _("Keep this message: if the log is ever cut short or rewritten, it no longer matches."),
        "",
        _("Time: %(at)s") % {"at": timezone.localtime(anchor.at).strftime("%d/%m/%Y %H:%M:%S")},
        _("Entry: %(entry)s") % {"entry": anchor.entry},
        _("Hash: %(hash)s") % {"hash": anchor.hash},
        _("Key: %(key)s") % {"key": anchor.key_id or "—"},
        _("Entries in the log: %(count)s") % {"count": anchor.entries},
        _("Whole log checked: intact.")
        if anchor.verified
        else _("Whole log checked: BROKEN at entry %(entry)s (%(problem)s).")
        % {"entry": anchor.broken, "problem": anchor.problem},
    ]
    if anchor.kind == RESTORE:
        lines.append(
            _(
                "A backup was restored: entries written after entry %(entry)s before the "
                "restore are lost."
            )
            % {"entry": anchor.entry}
        )
    elif anchor.kind == RECHAIN:
        lines.append(_("Every entry was re-chained under the key (a software upgrade)."))
    return "\n".join(lines) + "\n"
