"""The alerts of a new concern reach a real SMTP server and carry no child data."""

import re
import unicodedata

import pytest

from concerns.models import Channel, Concern, ConcernLearner
from forms_app.cases.opening import open_case
from notifications.models import MailStatus, OutgoingMail

LEARNER_NAME = "Phạm Thị Hồng Nhung"
CONCERN_TEXT = "Em Nhung bị nhóm bạn lớp 8C chặn đường đòi tiền ở cổng sau trường"
WHEN_WHERE = "Chiều thứ Năm, cạnh bãi gửi xe đạp"
ACTION_TAKEN = "Đã gọi điện cho mẹ em lúc tan học"
# A case reference as forms_app.cases.opening makes them: "HB-2026-0007".
REFERENCE = re.compile(r"\b[A-Z0-9]+-\d{4}-\d{4,}\b")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


def distinctive_phrases(text: str) -> list[str]:
    """Every run of three words of a text: none of them may reach a message."""
    words = text.split()
    return [" ".join(words[i : i + 3]) for i in range(len(words) - 2)]


@pytest.fixture
def concern_with_child_data(staff, smtp_server, django_capture_on_commit_callbacks):
    case = open_case(staff.school, staff.worker, learner_name=LEARNER_NAME, learner_class="8C")
    with django_capture_on_commit_callbacks(execute=True):
        concern = Concern.objects.create(
            school=staff.school,
            channel=Channel.STAFF,
            reporter=staff.editor,
            urgent=True,
            what_happened=CONCERN_TEXT,
            when_where=WHEN_WHERE,
            action_taken=ACTION_TAKEN,
            case=case,
        )
        ConcernLearner.objects.create(
            concern=concern, typed_name=LEARNER_NAME, typed_class="8C", case=case
        )
    return case


def test_every_case_role_of_the_school_receives_the_alert_by_smtp(
    staff, smtp_server, concern_with_child_data
):
    to = sorted(message["To"] for message in smtp_server.messages)
    assert to == sorted(
        u.email for u in (staff.worker, staff.colleague, staff.principal, staff.vice_principal)
    )
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 4
    for text in smtp_server.texts():
        assert staff.school.name in text
        assert "http://testserver/admin/thong-bao/" in text


def test_no_message_carries_the_learner_the_reference_or_the_concern(
    smtp_server, concern_with_child_data
):
    assert smtp_server.messages
    reference = concern_with_child_data.reference
    assert REFERENCE.fullmatch(reference)
    for text in smtp_server.texts() + smtp_server.raw:
        folded = fold(text)
        assert fold(LEARNER_NAME) not in folded
        for part in LEARNER_NAME.split()[1:]:
            assert not re.search(rf"\b{fold(part)}\b", folded)
        assert not REFERENCE.search(text), text
        for source in (CONCERN_TEXT, WHEN_WHERE, ACTION_TAKEN):
            for phrase in distinctive_phrases(source):
                assert fold(phrase) not in folded, phrase


def test_the_notification_text_names_only_the_school(staff, concern_with_child_data):
    notification = staff.worker.notifications.get()
    assert staff.school.name in notification.text
    assert fold(LEARNER_NAME) not in fold(notification.text)
    assert notification.urgent
