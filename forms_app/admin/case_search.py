"""The case list's search term, kept on the server under a short-lived random id.

A search for a learner types a child's name. In a GET query string (``?q=``) the
name would be written by every access log on its way: nginx, Varnish's
``varnishncsa``, gunicorn, a proxy of the school's network, the browser's
history and the ``Referer`` of the next click. So the list's search form POSTs
the term; the view keeps it here and redirects to ``?s=<id>``, an id that says
nothing about what was searched.

The kept value is encrypted with the case keys (:mod:`forms_app.encryption`), so
the shared cache (a file cache by default) holds no name in clear either, and it
names the user who searched: an id copied into another user's address bar finds
nothing. It expires :data:`SEARCH_SECONDS` after the search; an expired or
unknown id shows the whole list with a message, never an error.
"""

from __future__ import annotations

import json
import re
import secrets

from django.core.cache import cache

from forms_app.encryption import InvalidToken, decrypt_text, encrypt_text

# How long a search id finds its term: long enough to page through the results
# and open a few cases, short enough that a URL left in a history is dead soon.
SEARCH_SECONDS = 30 * 60

# The longest term kept: a full name or a reference is far shorter; anything
# longer is not a search a person typed.
MAX_TERM_LENGTH = 200

_KEY_PREFIX = "forms_app:case-search:"
# secrets.token_urlsafe(18) makes 24 characters of this alphabet.
_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{24}")


def _cache_key(search_id: str) -> str:
    return _KEY_PREFIX + search_id


def is_search_id(value: str | None) -> bool:
    """Whether ``value`` has the shape of an id :func:`remember_search` makes."""
    return bool(value) and _ID_PATTERN.fullmatch(value) is not None


def remember_search(user, term: str) -> str:
    """Keep ``term`` for ``user`` and return the random id that finds it again."""
    search_id = secrets.token_urlsafe(18)
    payload = json.dumps({"user": user.pk, "term": term[:MAX_TERM_LENGTH]})
    cache.set(_cache_key(search_id), encrypt_text(payload), SEARCH_SECONDS)
    return search_id


def recall_search(user, search_id: str | None) -> str | None:
    """The term kept under ``search_id`` for ``user``; None if unknown, expired or not theirs.

    A value no key of the ring opens (the keys were rotated and the old one
    dropped) is treated as expired.
    """
    if not is_search_id(search_id) or not getattr(user, "pk", None):
        return None
    token = cache.get(_cache_key(search_id))
    if not isinstance(token, str):
        return None
    try:
        payload = json.loads(decrypt_text(token))
    except (InvalidToken, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.pk:
        return None
    term = payload.get("term")
    return term if isinstance(term, str) else None
