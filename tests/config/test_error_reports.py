"""A case-area crash reaches the ADMINS e-mail, the log and the error page without case data."""

import logging
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory
from django.views.debug import get_default_exception_reporter_filter

from config.error_reports import CaseSafeExceptionReporter
from schools.roles import Role

CHILD = "Nguyễn Thị Giả Định"  # fictitious
STORY = "Em kể rằng bị bạn cùng lớp đánh sau giờ học"


@pytest.fixture
def worker_client(make_school, make_staff, settings):
    settings.ADMINS = [("Trực hệ thống", "ops@example.org")]
    school = make_school("TN")
    user = make_staff("ctxh.tn", Role.CASE_WORKER, school)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _crash_while_storing(self, *args, **kwargs):
    """Stands for a bug deep in the wizard: case data in locals and in the message."""
    learner = self.request.POST["learner-name"]
    story = self.request.POST["learner-story"]
    raise ValueError(f"could not store {learner}: {story}")


def test_a_crash_in_a_case_view_reports_no_case_data(worker_client, monkeypatch, caplog):
    # The start URL shows the first step; it posts back there (a draft is made on save).
    step_url = "/admin/ho-so/tiep-nhan/"
    assert worker_client.get(step_url).status_code == 200
    monkeypatch.setattr("forms_app.wizards.base.CaseWizard.post", _crash_while_storing)

    response = worker_client.post(
        step_url + f"?tim={CHILD}",
        {"learner-name": CHILD, "learner-story": STORY},
        HTTP_REFERER=f"http://testserver/admin/ho-so/?q={CHILD}",
    )

    assert response.status_code == 500
    page = response.content.decode()
    assert CHILD not in page
    assert STORY not in page
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert "ValueError" in email.body, "the report still names the error"
    assert "_crash_while_storing" in email.body, "and where it happened"
    assert not email.alternatives, "no HTML report"
    for text in (email.subject, email.body):
        assert CHILD not in text
        assert STORY not in text
        assert "Giả Định" not in text
    # What the console handler of django.request writes for the same record.
    record = next(r for r in caplog.records if r.name == "django.request")
    console = next(
        h for h in logging.getLogger("django.request").handlers if type(h) is logging.StreamHandler
    )
    record.exc_text = None  # as it reaches the handler
    assert console.filter(record)
    logged = console.format(record)
    assert "ValueError" in logged
    assert "_crash_while_storing" in logged
    assert CHILD not in logged
    assert STORY not in logged


def test_a_staff_requests_report_hides_post_query_cookies_locals_and_message():
    request = RequestFactory().post(
        f"/admin/ho-so/tiep-nhan/?tim={CHILD}",
        {"learner-name": CHILD},
        HTTP_COOKIE="sessionid=s3cr3t",
    )

    def view(request):
        learner = request.POST["learner-name"]
        raise KeyError(learner)

    try:
        view(request)
    except KeyError:
        report = CaseSafeExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "learner-name" in report, "field names stay, to find the form"
    assert CHILD not in report
    assert "s3cr3t" not in report
    assert "/admin/ho-so/tiep-nhan/" in report


def test_a_public_requests_report_keeps_its_form_values_but_no_cookies():
    request = RequestFactory().post(
        "/tim-kiem/?q=bao+luc", {"q": "bạo lực"}, HTTP_COOKIE="csrftoken=abc123secret"
    )
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        report = CaseSafeExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    assert "bạo lực" in report
    assert "boom" in report
    assert "abc123secret" not in report


def test_case_data_keys_are_masked_in_every_report():
    safe = get_default_exception_reporter_filter().get_safe_settings()
    assert settings.CASE_ENCRYPTION_KEYS
    assert settings.CASE_INDEX_KEY
    assert safe["CASE_ENCRYPTION_KEYS"] == "********************"
    assert safe["CASE_INDEX_KEY"] == "********************"
    assert safe["SECRET_KEY"] == "********************"


@pytest.mark.django_db
def test_the_404_page_repeats_nothing_from_the_request(client):
    response = client.get(f"/khong-co-trang-nay/?q={CHILD}")
    assert response.status_code == 404
    page = response.content.decode()
    assert CHILD not in page
    assert "khong-co-trang-nay" not in page
