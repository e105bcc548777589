"""The one way the public site reaches the case side: the online help channel.

A pupil or parent writes to their school's counselling team and gets back a
tracking code and a secret phrase; with both they read the team's replies and
answer. Nothing else crosses: these functions take plain values and return frozen
dataclasses, never a model instance or a queryset, so a public view cannot follow a
relation to a case, a learner or another sender's thread (``tests/test_wall.py``).

The phrase is four simple Vietnamese words (``secret_words.txt``, compared folded
without diacritics or case), stored as an HMAC-SHA256 under a server key and a
per-row salt. Not PBKDF2: the post must stay fast, the phrase carries ~42 bits and
wrong guesses are limited per address and per code (``help_limits``).
"""

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from concerns import help_limits
from concerns.help_limits import OverLimit
from concerns.models import Channel, Concern, ConcernMessage, SenderRole, Status
from schools.models import School

__all__ = [
    "CODE_ALPHABET",
    "MAX_CONTACT_LENGTH",
    "MAX_TEXT_LENGTH",
    "OverLimit",
    "Receipt",
    "Thread",
    "ThreadMessage",
    "UnknownSchool",
    "add_sender_reply",
    "format_code",
    "open_thread",
    "submit_help_request",
]

MAX_TEXT_LENGTH = 5000
MAX_CONTACT_LENGTH = 255
# No 0/O, 1/I/L, U/V: a child copying it by hand cannot mix them up.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 8
PHRASE_WORDS = 4
HASH_SCHEME = "hmac-sha256"
# A key handed back with a thread, which opens it again for the rest of a visit
# without the phrase staying anywhere (the session keeps this instead).
ACCESS_PREFIX = "k1."


class UnknownSchool(Exception):
    """No school has that code."""


@dataclass(frozen=True)
class Receipt:
    """What the sender must write down: shown once, stored nowhere in clear."""

    code: str
    secret: str


@dataclass(frozen=True)
class ThreadMessage:
    from_team: bool
    text: str
    sent_at: datetime


@dataclass(frozen=True)
class Thread:
    """One sender's thread as they may see it: their words, the team's replies, dates.

    ``state`` is one of "received", "answered", "closed"; nothing of the team's
    handling (case, status, who) is told.
    """

    code: str
    school_code: str
    school_name: str
    state: str
    received_at: datetime
    messages: tuple[ThreadMessage, ...]
    may_reply: bool
    access_key: str


# Codes and phrases -------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, no diacritics (đ→d), letters and digits only, single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@cache
def words() -> tuple[str, ...]:
    """The phrase's words, each different from every other once folded."""
    path = Path(__file__).with_name("secret_words.txt")
    return tuple(line.strip() for line in path.read_text("utf-8").splitlines() if line.strip())


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_phrase() -> str:
    return " · ".join(secrets.choice(words()) for _ in range(PHRASE_WORDS))


def normalise_code(code: str) -> str:
    """The stored form of a typed code: capitals, no dash or space ("k7m2-qx9p")."""
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())[: CODE_LENGTH * 2]


def format_code(code: str) -> str:
    """ "K7M2QX9P" as written for people: "K7M2-QX9P"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) == CODE_LENGTH else code


@cache
def _server_key() -> bytes:
    key = settings.CASE_INDEX_KEY
    if not key or len(key) < 32:
        raise ImproperlyConfigured("CASE_INDEX_KEY must be set to at least 32 random characters.")
    # Its own key, derived, so a phrase hash is never comparable with a name index.
    return hmac.new(key.encode(), b"help-channel secret phrase", hashlib.sha256).digest()


def _digest(salt: str, phrase: str) -> str:
    message = f"{salt}:{fold(phrase)}".encode()
    return hmac.new(_server_key(), message, hashlib.sha256).hexdigest()


def hash_phrase(phrase: str) -> str:
    salt = secrets.token_hex(16)
    return f"{HASH_SCHEME}${salt}${_digest(salt, phrase)}"


def _phrase_matches(stored: str, phrase: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    return scheme == HASH_SCHEME and hmac.compare_digest(digest, _digest(salt, phrase))


def _access_key(concern: Concern) -> str:
    message = f"access:{concern.tracking_code}:{concern.secret_hash}".encode()
    return ACCESS_PREFIX + hmac.new(_server_key(), message, hashlib.sha256).hexdigest()


def _secret_matches(concern: Concern, secret: str) -> bool:
    if not concern.secret_hash:
        return False
    if secret.startswith(ACCESS_PREFIX):
        return hmac.compare_digest(secret, _access_key(concern))
    return _phrase_matches(concern.secret_hash, secret)


# What the public side may do ------------------------------------------------------


def submit_help_request(
    school_code: str,
    text: str,
    sender_role: str = "",
    contact: str = "",
    anonymous: bool = True,
    client_address: str = "",
    *,
    looks_like_spam: bool = False,
) -> Receipt:
    """Store a new help request for the school and return its code and phrase.

    Raises :class:`UnknownSchool`, :class:`OverLimit` (too many posts from this
    address, or for this school: nothing stored) or ``ValueError`` (empty or too long:
    the form checks these first). What looks like spam is stored, set aside.
    """
    text = (text or "").strip()
    contact = "" if anonymous else (contact or "").strip()
    if not text or len(text) > MAX_TEXT_LENGTH or len(contact) > MAX_CONTACT_LENGTH:
        raise ValueError("help request text or contact out of bounds")
    if sender_role not in SenderRole.values:
        sender_role = ""
    school = School.objects.filter(code=(school_code or "").upper()).only("pk").first()
    if school is None:
        raise UnknownSchool(school_code)
    help_limits.take(
        *(
            (limit, help_limits.subject("address", client_address))
            for limit in help_limits.post_limits()
        ),
        (help_limits.school_limit(), help_limits.subject("school", school.code)),
    )
    phrase = new_phrase()
    for _attempt in range(5):
        code = new_code()
        try:
            with transaction.atomic():
                Concern.objects.create(
                    school=school,
                    channel=Channel.ONLINE,
                    received_at=timezone.now(),
                    what_happened=text,
                    sender_role=sender_role,
                    contact=contact,
                    tracking_code=code,
                    secret_hash=hash_phrase(phrase),
                    held_as_possible_spam=looks_like_spam,
                )
        except IntegrityError:
            continue  # the code was taken: draw another
        return Receipt(code=format_code(code), secret=phrase)
    raise RuntimeError("no free tracking code after five draws")


def _find(code: str) -> Concern | None:
    stored = normalise_code(code)
    if len(stored) != CODE_LENGTH:
        return None
    return (
        Concern.objects.filter(tracking_code=stored, channel=Channel.ONLINE)
        .select_related("school")
        .first()
    )


def _guard(code: str, client_address: str) -> tuple[tuple[help_limits.Limit, str], ...]:
    by_address, by_code = help_limits.wrong_secret_limits()
    pairs = (
        (by_address, help_limits.subject("address", client_address)),
        (by_code, help_limits.subject("code", normalise_code(code))),
    )
    help_limits.check(*pairs)
    return pairs


def _authorised(code: str, secret: str, client_address: str) -> Concern | None:
    """The concern whose code and secret these are; a failure is counted against the
    address and the code. Raises :class:`OverLimit` once either has failed too often."""
    pairs = _guard(code, client_address)
    concern = _find(code)
    if concern is not None and _secret_matches(concern, secret or ""):
        return concern
    if concern is None:
        _digest("0" * 32, secret or "")  # about the same time as a wrong phrase
    for limit, who in pairs:
        help_limits.count(limit, who)
    return None


def _state(concern: Concern, messages: list[ConcernMessage]) -> str:
    if concern.status == Status.CLOSED:
        return "closed"
    if any(m.author_kind == ConcernMessage.Author.TEAM for m in messages):
        return "answered"
    return "received"


def _thread(concern: Concern) -> Thread:
    messages = list(
        concern.messages.filter(
            author_kind__in=[ConcernMessage.Author.REPORTER, ConcernMessage.Author.TEAM]
        ).only("author_kind", "text", "created_at")
    )
    shown = (
        ThreadMessage(from_team=False, text=concern.what_happened, sent_at=concern.received_at),
        *(
            ThreadMessage(
                from_team=m.author_kind == ConcernMessage.Author.TEAM,
                text=m.text,
                sent_at=m.created_at,
            )
            for m in messages
        ),
    )
    state = _state(concern, messages)
    return Thread(
        code=format_code(concern.tracking_code),
        school_code=concern.school.code,
        school_name=concern.school.name,
        state=state,
        received_at=concern.received_at,
        messages=shown,
        may_reply=state != "closed",
        access_key=_access_key(concern),
    )


def open_thread(code: str, secret: str, client_address: str = "") -> Thread | None:
    """The thread whose code and secret (the phrase, or the ``access_key`` a thread
    handed back) these are, or None. Raises :class:`OverLimit` after too many wrong
    tries from this address or at this code."""
    concern = _authorised(code, secret, client_address)
    return _thread(concern) if concern is not None else None


def add_sender_reply(code: str, secret: str, text: str, client_address: str = "") -> Thread | None:
    """Add the sender's answer to their thread; the thread as it is now, or None when
    the code and secret do not match (nothing stored). Raises ``ValueError`` for an
    empty or too long text or a closed thread, :class:`OverLimit` when over a limit."""
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT_LENGTH:
        raise ValueError("reply text out of bounds")
    concern = _authorised(code, secret, client_address)
    if concern is None:
        return None
    if concern.status == Status.CLOSED:
        raise ValueError("the thread is closed")
    help_limits.take((help_limits.reply_limit(), help_limits.subject("address", client_address)))
    now = timezone.now()
    with transaction.atomic():
        ConcernMessage.objects.create(
            concern=concern, author_kind=ConcernMessage.Author.REPORTER, text=text, created_at=now
        )
        Concern.objects.filter(pk=concern.pk).update(last_sender_message_at=now, updated_at=now)
    return _thread(concern)
