"""Security headers a browser sees, and staff pages kept out of every cache."""

import pytest
from django.contrib.auth import get_user_model
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from wagtail.models import Site

from config.middleware import NoStoreForStaffMiddleware
from pages.models import HomePage


@pytest.fixture
def home(db):
    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=HomePage(title="Trường thử", slug="truong-thu"))


def directives(policy: str) -> dict[str, list[str]]:
    parts = (item.split() for item in policy.split(";") if item.strip())
    return {name: sources for name, *sources in parts}


def test_a_public_page_forbids_inline_script_and_style_and_framing(client, home):
    response = client.get(home.url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_gets_its_own_looser_policy_without_eval(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.mark.parametrize("path", ["/tim-kiem/", "/admin/login/", "/healthz"])
def test_camera_microphone_and_location_are_switched_off_everywhere(client, db, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_an_anonymous_visitors_public_page_may_be_cached(client, home):
    response = client.get(home.url)
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_signed_in_users_public_page_is_never_stored(client, home):
    user = get_user_model().objects.create_user(username="bientap", password="x" * 12)
    client.force_login(user)
    response = client.get(home.url)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
    assert "Cookie" in response["Vary"]


def test_admin_responses_are_never_stored_even_a_signed_out_login_page(client, db):
    response = client.get("/admin/login/")
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(
            lambda: HttpResponse(headers={"Cache-Control": "public, max-age=3600"}), id="page"
        ),
        pytest.param(lambda: FileResponse(iter([b"%PDF-1.7"]), as_attachment=True), id="download"),
    ],
)
def test_any_admin_response_a_view_forgot_to_mark_is_made_private(response, rf: RequestFactory):
    request = rf.get("/admin/ho-so/in/01/1/pdf/")
    middleware = NoStoreForStaffMiddleware(lambda _request: response())
    result = middleware(request)
    cache_control = result["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control
    assert "public" not in cache_control
    assert result["Pragma"] == "no-cache"
