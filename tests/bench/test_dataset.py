"""The benchmark's dataset: what the runner will request must exist and answer as it expects.

A few of each kind are built into the test database with the same function
``bench/dataset.py`` runs, then the manifest's URLs, accounts and wizard step are
used as the runner uses them.
"""

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from accounts.models import AuthenticatorDevice
from bench.dataset import CONCERN_CHANNELS, build
from concerns.models import Concern, ConcernLearner, ConcernMessage
from forms_app.models import Case, InterventionPlan, WizardDraft
from pages.models import CampaignPage, MaterialPage, PlanPage, SiteImage
from pages.text import fold
from tests.forms_app.module_data import copied, module_transaction

COUNTS = {"plans": 6, "campaigns": 3, "materials": 3, "hotlines": 5, "cases": 20, "concerns": 12}


@pytest.fixture(scope="module")
def _built(request, django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Built once for the module, in a transaction rolled back after it (module_data.py)."""
    with module_transaction(request, django_db_blocker) as data:
        yield data.build(build, COUNTS)


@pytest.fixture
def manifest(db, _built):
    return copied(_built)


def test_build_adds_what_was_asked_and_visitors_get_the_manifest_pages(manifest, client):
    assert manifest["generated"]["plans"] == COUNTS["plans"]
    assert manifest["generated"]["campaigns"] == COUNTS["campaigns"]
    assert manifest["generated"]["materials"] == COUNTS["materials"]
    assert manifest["generated"]["hotlines"] == COUNTS["hotlines"]
    assert manifest["generated"]["cases"] == COUNTS["cases"]
    # One image per campaign and material; every case has its intake report and more.
    assert manifest["generated"]["images"] == COUNTS["campaigns"] + COUNTS["materials"]
    assert manifest["generated"]["records"] > COUNTS["cases"]
    assert manifest["counts"]["plans"] == PlanPage.objects.count()
    assert manifest["counts"]["cases"] == Case.objects.count()
    assert manifest["counts"]["images"] == SiteImage.objects.count()
    # Every campaign and material built has an image of its own (the newest pages).
    built = [
        *CampaignPage.objects.order_by("-pk").values_list("hero_image", flat=True)[
            : COUNTS["campaigns"]
        ],
        *MaterialPage.objects.order_by("-pk").values_list("image", flat=True)[
            : COUNTS["materials"]
        ],
    ]
    assert None not in built
    assert len(set(built)) == len(built)

    host = manifest["host"]
    urls, titles = manifest["urls"], manifest["titles"]
    for name in ("home", "plan", "campaign"):
        response = client.get(urls[name], HTTP_HOST=host)
        assert response.status_code == 200, name
        assert titles[name] in response.content.decode()

    plan = PlanPage.objects.get(title=titles["plan"])
    listing = client.get(urls["plan_index_filtered"], HTTP_HOST=host)
    assert listing.status_code == 200
    assert plan.title in listing.content.decode()

    found = client.get(urls["search"], HTTP_HOST=host).content.decode()
    word = urls["search"].split("q=", 1)[1].replace("+", " ")
    matching = [p.title for p in PlanPage.objects.live() if word in fold(p.title)]
    assert matching
    assert any(title in found for title in matching)

    assert client.get(urls["not_found"], HTTP_HOST=host).status_code == 404


def test_case_worker_posts_the_wizard_step_repeatedly_and_reads_the_plan_pdf(manifest, client):
    account = manifest["users"]["case_worker"]
    user = get_user_model().objects.get(username=account["username"])
    assert user.check_password(account["password"])
    device = AuthenticatorDevice.objects.get(user=user, confirmed=True)
    assert device.key == account["totp_key_hex"]

    # conftest makes force_login a full sign-in with the confirmed device.
    client.force_login(user)
    step = manifest["wizard_step"]
    for _attempt in range(2):
        response = client.post(step["url"], step["data"])
        assert response.status_code == 302
        assert response["Location"].endswith(f"/{step['next_step']}/")
    draft = WizardDraft.objects.get(owner=user)
    assert draft.steps["data"]["learner"]["learner-learner_class"] == ["7A"]

    assert client.get(manifest["urls"]["case_list"]).status_code == 200
    pdf = client.get(manifest["urls"]["plan_pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    plan_id = int(manifest["urls"]["plan_pdf"].rstrip("/").split("/")[-2])
    assert InterventionPlan.objects.get(pk=plan_id).case.school.code == "HB"


def test_concerns_of_the_bench_school_come_from_every_channel_and_name_learners(manifest):
    assert manifest["generated"]["concerns"] == COUNTS["concerns"]
    # The build's own are the newest (the demo world may hold a few before them).
    built = list(Concern.objects.order_by("-pk")[: COUNTS["concerns"]])
    assert {c.school.code for c in built} == {"HB"}
    assert {c.channel for c in built} == {c for c, _w in CONCERN_CHANNELS}
    assert any(c.urgent for c in built)
    assert any(c.held_as_possible_spam and c.channel == "online" for c in built)
    assert all(c.tracking_code for c in built if c.channel == "online")
    assert all(c.reporter_id for c in built if c.channel == "staff")
    # Every concern names a learner; the encrypted text reads back with the build's keys.
    named = ConcernLearner.objects.filter(concern__in=built)
    assert {row.concern_id for row in named} == {c.pk for c in built}
    assert all(row.display_name() for row in named)
    assert all("giả định" in c.what_happened for c in built)
    assert manifest["counts"]["concern_messages"] == ConcernMessage.objects.count()
    # Too few open concerns for a deep page in a small build: the runner skips it.
    assert manifest["urls"]["triage_queue_deep"] is None
    assert manifest["help_form"]["url"] == "/tro-giup/HB/"


def test_case_worker_reads_the_triage_queue_the_runner_measures(manifest, client):
    user = get_user_model().objects.get(username=manifest["users"]["case_worker"]["username"])
    client.force_login(user)
    response = client.get(manifest["urls"]["triage_queue"])
    assert response.status_code == 200
    # The open concerns not set aside are listed, each as a link to its item.
    listed = Concern.objects.filter(
        school__code="HB", status__in=["received", "handling"], held_as_possible_spam=False
    )
    page = response.content.decode()
    assert listed.exists()
    for concern in listed:
        assert f"/admin/tiep-nhan-thong-tin/{concern.pk}/" in page


def test_the_runners_help_post_is_a_new_request_a_pupil_could_send_each_time(manifest, monkeypatch):
    from django.test import Client

    from bench.run import HELP_FORM_WAIT, form_fields, help_body
    from pages.help_channel import forms as help_forms

    # The runner waits out the time token before its first POST; here the wait is skipped.
    assert HELP_FORM_WAIT > help_forms.MIN_SECONDS
    monkeypatch.setattr(help_forms, "MIN_SECONDS", 0)
    browser = Client(enforce_csrf_checks=True)
    url = manifest["help_form"]["url"]
    served = browser.get(url)
    assert served.status_code == 200
    fields = form_fields(served.content, url)
    assert {"csrfmiddlewaretoken", "started", "website"} <= fields.keys()
    assert fields["website"] == ""
    body = help_body(fields, manifest)
    before = Concern.objects.filter(channel="online").count()
    # wrk sends the same body again and again: each one is stored as its own request.
    for _attempt in range(2):
        response = browser.post(url, body)
        assert response.status_code == 302
    new = list(Concern.objects.filter(channel="online").order_by("-pk")[:2])
    assert Concern.objects.filter(channel="online").count() == before + 2
    assert new[0].tracking_code != new[1].tracking_code
    assert not any(c.held_as_possible_spam for c in new)
    assert all(c.what_happened == manifest["help_form"]["data"]["text"] for c in new)
