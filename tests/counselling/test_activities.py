"""Awareness activities: added, listed and changed by the school's team, audited, and
linked only to a live campaign page of their own school."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from counselling.models import Activity
from pages.models import CampaignPage
from tests.counselling.conftest import ACTIVITIES, ACTIVITY_NEW, activity_url


def campaign_of(school, title: str, slug: str) -> CampaignPage:
    page = school.root_page.add_child(
        instance=CampaignPage(title=title, slug=slug, start_date=timezone.localdate())
    )
    page.save_revision().publish()
    return page


def activity_data(area, **changes) -> dict:
    data = {
        "title": "Nói chuyện chuyên đề phòng chống bắt nạt",
        "kind": "talk",
        "held_on": timezone.localdate().isoformat(),
        "ends_on": "",
        "audience": "students",
        "participants": "320",
        "area": str(area.pk),
        "campaign": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_an_activity_is_added_listed_and_changed_with_audit(worker_client, worker, school, area):
    assert worker_client.get(ACTIVITY_NEW).status_code == 200
    response = worker_client.post(ACTIVITY_NEW, activity_data(area))
    assert response.status_code == 302
    assert response.url == ACTIVITIES
    activity = Activity.objects.get()
    assert activity.school == school
    assert activity.created_by == worker
    assert AuditEntry.objects.filter(target=f"activity:{activity.pk}", action="create").exists()

    listing = worker_client.get(ACTIVITIES)
    assert listing.context["count"] == 1
    assert "Nói chuyện chuyên đề phòng chống bắt nạt" in listing.content.decode()

    assert worker_client.get(activity_url(activity)).status_code == 200
    assert AuditEntry.objects.filter(target=f"activity:{activity.pk}", action="view").exists()
    changed = worker_client.post(
        activity_url(activity), activity_data(area, participants="410", kind="club")
    )
    assert changed.status_code == 302
    activity.refresh_from_db()
    assert activity.participants == 410
    assert activity.kind == "club"
    assert AuditEntry.objects.filter(target=f"activity:{activity.pk}", action="change").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Hãy nhập tên hoạt động."),
        (
            {
                "held_on": "2026-10-10",
                "ends_on": (datetime.date(2026, 10, 1)).isoformat(),
            },
            "ends_on",
            "Ngày kết thúc không thể trước ngày bắt đầu.",
        ),
        ({"area": ""}, "area", "Hãy chọn nội dung."),
    ],
)
def test_a_mistake_comes_back_in_vietnamese_with_what_was_typed(
    worker_client, area, changes, field, message
):
    data = {**activity_data(area, participants="275"), **changes}
    response = worker_client.post(ACTIVITY_NEW, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert message in body
    assert 'value="275"' in body
    assert not Activity.objects.exists()


def test_only_the_schools_own_live_campaign_pages_are_offered(
    worker_client, school, other_school, area
):
    ours = campaign_of(school, "Tháng hành động vì trẻ em", "thang-hanh-dong")
    theirs = campaign_of(other_school, "Chiến dịch trường bạn", "chien-dich-ban")
    form = worker_client.get(ACTIVITY_NEW).context["form"]
    offered = {str(value) for value, _label in form.fields["campaign"].choices if value}
    assert str(ours.pk) in offered
    assert str(theirs.pk) not in offered

    refused = worker_client.post(ACTIVITY_NEW, activity_data(area, campaign=str(theirs.pk)))
    assert "campaign" in refused.context["form"].errors
    assert not Activity.objects.exists()

    worker_client.post(ACTIVITY_NEW, activity_data(area, campaign=str(ours.pk)))
    assert Activity.objects.get().campaign_id == ours.pk
