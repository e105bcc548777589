"""Searching the case list the way the page does: a POST, then the list at ``?s=<id>``.

The term never travels in a URL (forms_app.admin.case_search). Tests that search go
through here, so they take the same path as a user, and each checks on the way
that no URL of the redirect chain carries the term.
"""

from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit

from django.test import Client

from tests.log_scan import fold

LIST_URL = "/admin/forms_app/case/"


def term_forms(term: str) -> set[str]:
    """The ways ``term`` could be written into a URL: as typed, folded, percent-encoded."""
    term = " ".join(term.split())
    forms = {term, fold(term), quote(term), quote_plus(term), quote(fold(term))}
    return {form.casefold() for form in forms if form}


def url_holds(url: str, term: str) -> bool:
    """Whether ``url``, but for its random search id, holds ``term`` in any form.

    The id is left out: a short term such as "AL" could be among its random
    letters by chance.
    """
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "s"])
    text = f"{parts.path}?{query}".casefold()
    return any(form in text for form in term_forms(term))


def search_cases(client: Client, term: str, **params):
    """Search the list for ``term`` (with the filters in ``params``); the list's response.

    Fails if a URL of the redirect chain holds the term.
    """
    response = client.post(LIST_URL, {"q": term, **params}, follow=True)
    if term.strip():
        for url, _status in response.redirect_chain:
            assert not url_holds(url, term), (term, url)
    return response
