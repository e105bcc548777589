"""A child's details typed into a wizard live in the encrypted draft, never in the
session, a cookie, or the database's clear text, even half-way through."""

import json

from django.contrib.sessions.models import Session
from django.db import connection

from tests.forms_app.wizards.stepping import stored
from tests.forms_app.wizards.test_intake_wizard import (
    FAMILY,
    INFORMANT,
    LEARNER,
    fill_until_consent,
    post_step,
    start,
)

TYPED = [LEARNER["name"], FAMILY["father_name"], FAMILY["mother_name"], INFORMANT["phone"]]


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return json.dumps(cursor.fetchall(), default=str, ensure_ascii=False)


def test_a_half_filled_intake_leaves_nothing_readable_outside_the_draft(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    fill_until_consent(client, draft)
    post_step(client, draft, "informant_consent", {"consent": "yes"})
    post_step(client, draft, "informant", INFORMANT)

    # The app reads the draft back...
    assert stored(draft)["learner"]["learner-name"] == [LEARNER["name"]]
    # ...but the session holds no child's detail, decoded or not,
    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert sessions
    for text in (
        json.dumps(sessions, default=str, ensure_ascii=False),
        _raw_rows("django_session"),
    ):
        for value in TYPED:
            assert value not in text
    # no cookie carries wizard data,
    for morsel in client.cookies.values():
        for value in TYPED:
            assert value not in morsel.value
        assert "wizard" not in morsel.key
    # and the draft's row in the database is ciphertext.
    raw = _raw_rows("forms_app_wizarddraft")
    for value in TYPED:
        assert value not in raw
