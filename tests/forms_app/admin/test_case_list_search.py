"""The case list's search keeps a learner's name out of every URL and every log.

A name in ``?q=`` is written by each access log between the browser and the
site, and access logs are kept, copied and read by people who should never learn
a child's name. The search form therefore POSTs; the term is kept encrypted on
the server under a random id tied to the user, and the list is shown at
``?s=<id>`` with its filters, ordering and paging in the URL as before.
"""

import logging
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from audit.models import Action, AuditEntry
from forms_app.admin import case_search
from forms_app.admin.case_list import (
    SEARCH_GONE_MESSAGE,
    SEARCH_IN_ADDRESS_MESSAGE,
    SEARCH_PLACEHOLDER,
)
from forms_app.models import CaseState
from schools.roles import Role
from tests.forms_app.factories import LEARNER_NAME, make_case
from tests.forms_app.module_data import copied
from tests.forms_app.searching import LIST_URL, search_cases, term_forms, url_holds
from tests.log_scan import active_scan, find_names, learner_names

OTHER_NAME = "Lò Văn Minh"


@pytest.fixture(scope="module")
def module_cases(
    module_db, module_school, module_worker, module_colleague, module_other_school, module_worker_b
):
    """A case each of the worker and the colleague, and one of another school's learner of
    the same name as the worker's: built once, read by every search of the module."""

    def build():
        return SimpleNamespace(
            case=make_case(module_school, module_worker),
            other_case=make_case(module_school, module_colleague, learner_name=OTHER_NAME),
            case_b=make_case(module_other_school, module_worker_b),
        )

    return module_db.build(build)


@pytest.fixture
def world(school, worker, colleague, module_cases):
    shared = vars(copied(module_cases))
    return SimpleNamespace(school=school, worker=worker, colleague=colleague, **shared)


def vi(text) -> str:
    """``text`` as the Vietnamese page shows it, HTML-escaped."""
    with translation.override("vi"):
        return escape(str(text))


def listed(response) -> set:
    return set(response.context["object_list"])


def test_a_name_search_finds_the_learner_with_no_name_in_any_url(world, client):
    client.force_login(world.worker)

    response = client.post(LIST_URL, {"q": LEARNER_NAME})

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(LIST_URL + "?s=")
    assert not url_holds(location, LEARNER_NAME)
    page = client.get(location)
    assert listed(page) == {world.case}  # never another school's learner of the same name
    html = page.content.decode()
    # The term stays in the box, so the worker sees what they searched for.
    assert f'value="{LEARNER_NAME}"' in html
    for url in [location, *(a for a in html.split('href="')[1:])]:
        assert not url_holds(url.split('"')[0], LEARNER_NAME)


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("do thi anh tuyet", True),
        ("  ĐỖ   THỊ ÁNH TUYẾT ", True),
        ("Ánh Tuyết", False),  # a fragment of a name finds nobody
        ("AL-", True),  # a part of the reference finds the school's cases
    ],
)
def test_the_search_finds_as_before_with_or_without_diacritics(term, found, world, client):
    client.force_login(world.worker)
    response = search_cases(client, term)
    assert response.status_code == 200
    assert (world.case in listed(response)) is found
    assert world.case_b not in listed(response)


def test_filters_and_ordering_stay_in_the_url_and_paging_starts_again(world, client):
    client.force_login(world.worker)

    response = client.post(
        LIST_URL,
        {
            "q": LEARNER_NAME,
            "state__exact": CaseState.RECEIVED,
            "o": "3",
            "p": "4",
            # A forged field: it must not be carried into the URL.
            "learner_name": LEARNER_NAME,
            "note": "x" * 20,
        },
    )

    location = response["Location"]
    assert "state__exact=received" in location
    assert "o=3" in location
    assert "p=" not in location
    assert "note=" not in location
    assert not url_holds(location, LEARNER_NAME)
    page = client.get(location)
    assert listed(page) == {world.case}
    # The filter links, the sort headers and the form keep the search by its id only.
    html = page.content.decode()
    search_id = location.split("s=")[1].split("&")[0]
    assert f"s={search_id}" in html
    assert f'name="s" value="{search_id}"' not in html  # a new search makes a new id
    assert 'name="state__exact" value="received"' in html


def test_an_empty_search_clears_it_and_keeps_the_filters(world, client):
    client.force_login(world.worker)
    response = client.post(LIST_URL, {"q": "   ", "state__exact": CaseState.RECEIVED})
    assert response["Location"] == LIST_URL + "?state__exact=received"


def test_a_search_id_of_another_user_shows_the_whole_list_with_a_message(world, client):
    client.force_login(world.worker)
    location = client.post(LIST_URL, {"q": LEARNER_NAME})["Location"]
    colleague = Client()
    colleague.force_login(world.colleague)

    response = colleague.get(location, follow=True)

    assert response.redirect_chain[-1][0] == LIST_URL
    assert listed(response) == {world.case, world.other_case}
    assert vi(SEARCH_GONE_MESSAGE) in response.content.decode()
    assert LEARNER_NAME not in response.content.decode()  # not even in the search box
    # The worker who searched still has their results.
    assert listed(client.get(location)) == {world.case}


def test_an_expired_search_shows_the_whole_list_with_a_message(world, client, monkeypatch):
    client.force_login(world.worker)
    location = client.post(LIST_URL, {"q": LEARNER_NAME})["Location"]
    search_id = location.split("s=")[1]
    # What the cache does when the time runs out: the entry is gone.
    cache.delete(f"forms_app:case-search:{search_id}")

    response = client.get(location, follow=True)

    assert listed(response) == {world.case, world.other_case}
    assert vi(SEARCH_GONE_MESSAGE) in response.content.decode()


def test_a_kept_search_expires_after_half_an_hour(world, client, monkeypatch):
    timeouts = []

    class RecordingCache:
        def set(self, key, value, timeout):
            timeouts.append(timeout)
            cache.set(key, value, timeout)

        def get(self, key):
            return cache.get(key)

    monkeypatch.setattr(case_search, "cache", RecordingCache())
    client.force_login(world.worker)
    search_cases(client, LEARNER_NAME)
    assert timeouts == [30 * 60] == [case_search.SEARCH_SECONDS]


@pytest.mark.parametrize("search_id", ["x", "../../etc/passwd", "A" * 24, "é" * 24])
def test_a_made_up_search_id_is_not_an_error(search_id, world, client):
    client.force_login(world.worker)
    response = client.get(LIST_URL, {"s": search_id}, follow=True)
    assert response.status_code == 200
    assert listed(response) == {world.case, world.other_case}


def test_the_cache_holds_no_name(world, client):
    client.force_login(world.worker)
    location = client.post(LIST_URL, {"q": LEARNER_NAME})["Location"]
    stored = cache.get(f"forms_app:case-search:{location.split('s=')[1]}")
    assert isinstance(stored, str)
    assert not find_names(stored, learner_names())
    assert case_search.recall_search(world.worker, location.split("s=")[1]) == LEARNER_NAME


def test_a_term_in_the_address_is_not_searched(world, client):
    client.force_login(world.worker)

    response = client.get(LIST_URL, {"q": LEARNER_NAME, "state__exact": "received"})

    assert response.status_code == 302
    assert response["Location"] == LIST_URL + "?state__exact=received"
    page = client.get(response["Location"])
    assert listed(page) == {world.case, world.other_case}
    assert vi(SEARCH_IN_ADDRESS_MESSAGE) in page.content.decode()
    assert not AuditEntry.objects.filter(action=Action.SEARCH).exists()


def test_the_search_is_a_labelled_post_form_with_a_csrf_token(world, client):
    client.force_login(world.worker)
    html = client.get(LIST_URL).content.decode()
    form = html[html.index('<form id="changelist-search"') :].split("</form>")[0]
    assert 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<label class="w-field__label w-sr-only" for="id_q"' in form
    assert 'autocomplete="off"' in form
    assert f'placeholder="{vi(SEARCH_PLACEHOLDER)}"' in form
    assert 'type="submit"' in form


def test_a_search_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.worker)
    response = client.post(LIST_URL, {"q": LEARNER_NAME})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action=Action.SEARCH).exists()


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMINISTRATOR, Role.DISTRICT_OFFICER])
def test_who_may_not_list_cases_may_not_search(role, world, make_staff, client):
    client.force_login(make_staff("khac", role, world.school))
    response = client.post(LIST_URL, {"q": LEARNER_NAME})
    assert response.status_code in (302, 403)
    assert "s=" not in response.get("Location", "")


def test_the_audit_records_the_count_never_the_term(world, client):
    client.force_login(world.worker)
    search_cases(client, LEARNER_NAME)
    entry = AuditEntry.objects.get(action=Action.SEARCH)
    assert entry.detail == "results: 1"
    stored = " ".join(str(value) for value in AuditEntry.objects.values().get().values())
    assert not find_names(stored, learner_names())


def test_a_search_writes_no_log_line_and_none_names_the_learner(world, client, caplog):
    client.force_login(world.worker)
    with active_scan().capturing() as written:
        response = search_cases(client, LEARNER_NAME, state__exact=CaseState.RECEIVED)
        client.get(response.redirect_chain[-1][0] + "&p=1")
    assert listed(response) == {world.case}
    assert written == []

    # And with the root and request loggers at DEBUG, as an operator chasing a
    # problem might set LOG_LEVEL. (Not django.template: at DEBUG it logs whole
    # template contexts, child data included, on every case page; LOGGING in
    # config/settings/base.py keeps it at INFO whatever LOG_LEVEL says.)
    for name in ("", "django.request", "django.server", "django.security", "django.db"):
        caplog.set_level(logging.DEBUG, logger=name)
    with active_scan().capturing() as written:
        search_cases(client, LEARNER_NAME)
    for logger, text in written:
        for form in term_forms(LEARNER_NAME):
            assert form not in text.casefold(), logger
        assert not find_names(text, learner_names()), logger
