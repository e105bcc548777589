"""The benchmark's dataset: what the runner will request must exist and answer as it expects.

A few of each kind are built into the test database with the same function
``bench/dataset.py`` runs, then the manifest's URLs, accounts and wizard step are
used as the runner uses them.
"""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import AuthenticatorDevice
from bench.dataset import build
from forms_app.models import Case, InterventionPlan, WizardDraft
from pages.models import CampaignPage, MaterialPage, PlanPage, SiteImage
from pages.text import fold

COUNTS = {"plans": 6, "campaigns": 3, "materials": 3, "hotlines": 5, "cases": 20}


@pytest.fixture
def manifest(db):
    return build(COUNTS)


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
