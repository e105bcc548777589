"""The notification list, opening one, and the read receipts of an urgent alert."""

import pytest

from notifications.alerts import raise_alert
from notifications.models import Kind, Notification


@pytest.fixture
def urgent_alert(staff):
    return raise_alert(
        Kind.NEW_CONCERN,
        staff.school,
        [staff.worker, staff.colleague, staff.principal],
        "/admin/tiep-nhan-thong-tin/1/",
        urgent=True,
    )


def mine(user, alerts) -> Notification:
    return next(n for n in alerts if n.recipient_id == user.pk)


def test_list_shows_own_alerts_newest_first_unread_marked(staff, client, urgent_alert):
    raise_alert(Kind.PAGE_REVIEW, staff.school, [staff.worker], "/admin/pages/1/edit/")
    client.force_login(staff.worker)
    response = client.get("/admin/thong-bao/")
    assert response.status_code == 200
    page = list(response.context["page"])
    assert [n.kind for n in page] == [Kind.PAGE_REVIEW, Kind.NEW_CONCERN]
    assert response.context["unread_count"] == 2
    assert b"mark_all_read" not in response.content  # the form posts to its own URL
    assert b"/admin/thong-bao/da-doc-tat-ca/" in response.content


def test_mark_all_read(staff, client, urgent_alert):
    client.force_login(staff.worker)
    response = client.post("/admin/thong-bao/da-doc-tat-ca/")
    assert response.status_code == 302
    assert not staff.worker.notifications.unread().exists()
    assert staff.colleague.notifications.unread().exists()


def test_opening_marks_read_and_goes_to_the_object(staff, client, urgent_alert):
    notification = mine(staff.worker, urgent_alert)
    client.force_login(staff.worker)
    response = client.get(f"/admin/thong-bao/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/tiep-nhan-thong-tin/1/"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    client.get(f"/admin/thong-bao/{notification.pk}/")
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_opening_someone_elses_alert_is_a_404(staff, client, urgent_alert):
    notification = mine(staff.colleague, urgent_alert)
    client.force_login(staff.worker)
    assert client.get(f"/admin/thong-bao/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_outside_link_is_never_followed(staff, client):
    [notification] = raise_alert(
        Kind.OVERDUE, staff.school, [staff.worker], "https://evil.example/"
    )
    client.force_login(staff.worker)
    response = client.get(f"/admin/thong-bao/{notification.pk}/")
    assert response["Location"] == "/admin/thong-bao/"


def test_principal_sees_who_has_read_the_urgent_alert(staff, client, urgent_alert):
    client.force_login(staff.worker)
    client.get(f"/admin/thong-bao/{mine(staff.worker, urgent_alert).pk}/")
    client.force_login(staff.principal)
    response = client.get(f"/admin/thong-bao/{mine(staff.principal, urgent_alert).pk}/da-doc/")
    assert response.status_code == 200
    receipts = {r.recipient.username: r.read_at for r in response.context["receipts"]}
    assert set(receipts) == {"cb-ctxh", "to-tu-van", "hieu-truong"}
    assert receipts["cb-ctxh"] is not None
    assert receipts["to-tu-van"] is None


def test_a_case_role_of_the_school_not_alerted_may_read_the_receipts(staff, client, urgent_alert):
    client.force_login(staff.vice_principal)
    response = client.get(f"/admin/thong-bao/{urgent_alert[0].pk}/da-doc/")
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["editor", "other_worker"])
def test_read_receipts_are_only_for_the_schools_case_roles(staff, client, urgent_alert, who):
    client.force_login(getattr(staff, who))
    assert client.get(f"/admin/thong-bao/{urgent_alert[0].pk}/da-doc/").status_code == 404


def test_no_read_receipts_for_an_alert_that_is_not_urgent(staff, client):
    [notification] = raise_alert(Kind.PAGE_REVIEW, staff.school, [staff.principal], "/admin/")
    client.force_login(staff.principal)
    assert client.get(f"/admin/thong-bao/{notification.pk}/da-doc/").status_code == 404


def test_menu_shows_the_unread_count(staff, client, urgent_alert, django_assert_max_num_queries):
    from django.test import RequestFactory

    from notifications.menu import notifications_menu_item

    request = RequestFactory().get("/admin/")
    request.user = staff.worker
    with django_assert_max_num_queries(1):
        component = notifications_menu_item().render_component(request)
    assert "1" in str(component.label)


def test_dashboard_shows_unread_urgent_alerts(staff, client, urgent_alert):
    client.force_login(staff.worker)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert f"/admin/thong-bao/{mine(staff.worker, urgent_alert).pk}/".encode() in response.content
