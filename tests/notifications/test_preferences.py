"""Each user chooses: an e-mail at once, a daily digest, or none; urgent alerts always go."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from concerns.models import Channel, Concern
from notifications.digest import send_digests
from notifications.models import EmailChoice, NotificationPreference, OutgoingMail


@pytest.fixture
def raise_concern(staff, django_capture_on_commit_callbacks):
    def raise_(urgent: bool = False) -> Concern:
        with django_capture_on_commit_callbacks(execute=True):
            return Concern.objects.create(
                school=staff.school,
                channel=Channel.PHONE,
                urgent=urgent,
                what_happened="Một phụ huynh gọi điện báo tin",
            )

    return raise_


def choose(user, choice: str) -> None:
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": choice})


def mailed_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_by_default_each_alert_is_mailed_at_once(staff, raise_concern):
    raise_concern()
    assert len(mailed_to(staff.worker)) == 1


def test_none_means_no_mail_but_the_alert_is_in_the_admin(staff, raise_concern):
    choose(staff.worker, EmailChoice.NONE)
    raise_concern()
    assert mailed_to(staff.worker) == []
    assert staff.worker.notifications.count() == 1
    assert len(mailed_to(staff.colleague)) == 1


def test_urgent_alerts_are_mailed_at_once_whatever_the_choice(staff, raise_concern):
    choose(staff.worker, EmailChoice.NONE)
    choose(staff.principal, EmailChoice.DIGEST)
    raise_concern(urgent=True)
    assert len(mailed_to(staff.worker)) == 1
    assert len(mailed_to(staff.principal)) == 1
    assert not staff.principal.notifications.get().in_digest


def test_digest_collects_the_day_and_goes_once(
    staff, raise_concern, django_capture_on_commit_callbacks
):
    choose(staff.worker, EmailChoice.DIGEST)
    raise_concern()
    raise_concern()
    assert mailed_to(staff.worker) == []

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0
    [digest] = mailed_to(staff.worker)
    assert "2" in digest.body
    assert digest.body.count(staff.school.name) == 2
    assert "http://testserver/admin/thong-bao/" in digest.body


def test_digest_leaves_out_alerts_already_read(
    staff, raise_concern, django_capture_on_commit_callbacks
):
    choose(staff.worker, EmailChoice.DIGEST)
    raise_concern()
    staff.worker.notifications.update(read_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0
    assert mailed_to(staff.worker) == []
    assert not OutgoingMail.objects.filter(to_address=staff.worker.email).exists()


def test_next_day_digest_carries_only_new_alerts(
    staff, raise_concern, django_capture_on_commit_callbacks
):
    choose(staff.worker, EmailChoice.DIGEST)
    raise_concern()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(today)
    raise_concern()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(today + datetime.timedelta(days=1)) == 1
    _first, second = mailed_to(staff.worker)
    assert second.body.count(staff.school.name) == 1


def test_preferences_screen_saves_the_choice(staff, client):
    client.force_login(staff.worker)
    response = client.get("/admin/thong-bao/cai-dat/")
    assert response.status_code == 200
    response = client.post("/admin/thong-bao/cai-dat/", {"email": EmailChoice.DIGEST})
    assert response.status_code == 302
    assert staff.worker.notification_preference.email == EmailChoice.DIGEST


def test_preferences_screen_keeps_a_bad_choice_out(staff, client):
    client.force_login(staff.worker)
    response = client.post("/admin/thong-bao/cai-dat/", {"email": "carrier-pigeon"})
    assert response.status_code == 200
    assert not NotificationPreference.objects.filter(user=staff.worker, email="carrier-pigeon")
