from unittest import mock

from django.db import OperationalError


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_healthz_answers_503_without_details_when_the_database_is_down(client, db):
    with mock.patch(
        "config.health.connection.cursor",
        side_effect=OperationalError('could not connect to server at "10.0.0.5" port 5432'),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"
