"""Fictitious concerns for the demo schools, through every channel the queue receives.

Per demo school: a teacher's urgent concern, a call from Tổng đài 111, a mother's
visit, a suggestion-box note, a help request with a reply and an answer, and one set
aside as possible spam, so the queue, its tabs and every item screen have something
to show (the admin i18n crawler fills ``<pk>`` from them). Safe to run again: a
school that already has its demo help request (``tracking_code`` DEMO<code>1) is
left as it is.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from concerns.models import (
    Channel,
    Concern,
    ConcernLearner,
    ConcernMessage,
    LearnerRole,
    SenderRole,
    Status,
)
from schools.models import Membership, School
from schools.roles import Role

DEMO_SCHOOL_CODES = ("HB", "SM")


def _marker(code: str) -> str:
    return f"DEMO{code}1"


def _user(school: School, role: str):
    membership = Membership.objects.filter(school=school, role=role).select_related("user").first()
    return membership.user if membership else None


def _ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def _concern(school: School, learners=(), **fields) -> Concern:
    concern = Concern.objects.create(school=school, **fields)
    for name, class_name, role in learners:
        ConcernLearner.objects.create(
            concern=concern, typed_name=name, typed_class=class_name, role=role
        )
    return concern


def _load(school: School) -> None:
    worker = _user(school, Role.CASE_WORKER)
    teacher = _user(school, Role.STAFF) or _user(school, Role.PRINCIPAL)
    _concern(
        school,
        channel=Channel.STAFF,
        reporter=teacher,
        received_at=_ago(1),
        urgent=True,
        what_happened=(
            "Trong giờ sinh hoạt lớp, em kể tối qua bị người lớn trong nhà đánh; "
            "trên cánh tay có vết bầm mới."
        ),
        when_where="Lớp 7A, tiết sinh hoạt sáng nay",
        action_taken="Đã cho em ngồi nghỉ ở phòng y tế, chưa báo gia đình.",
        learners=[("Đinh Thị Mai", "7A", LearnerRole.HARMED)],
    )
    _concern(
        school,
        channel=Channel.PHONE,
        caller="Tổng đài 111",
        reporter=worker,
        received_at=_ago(5),
        what_happened=(
            "Tổng đài 111 chuyển tin: một em lớp 8 nghỉ học nhiều ngày, "
            "hàng xóm thấy em phải đi làm thuê ở xưởng gỗ."
        ),
        learners=[("Lò Văn Tùng", "8B", LearnerRole.HARMED)],
    )
    _concern(
        school,
        channel=Channel.VISIT,
        caller="Mẹ của học sinh",
        reporter=worker,
        received_at=_ago(26),
        status=Status.HANDLING,
        handled_by=worker,
        what_happened=(
            "Mẹ em đến trường báo em bị mấy bạn cùng lớp chặn đường đòi tiền; "
            "em sợ không dám đi học."
        ),
        learners=[
            ("Hà Văn Nam", "6C", LearnerRole.HARMED),
            ("Không rõ tên", "6C", LearnerRole.CAUSED_HARM),
        ],
    )
    _concern(
        school,
        channel=Channel.SUGGESTION_BOX,
        reporter=worker,
        received_at=_ago(50),
        what_happened="Thư trong hộp thư góp ý: có bạn lớp 9 bị trêu chọc vì ngoại hình.",
    )
    helped = _concern(
        school,
        channel=Channel.ONLINE,
        sender_role=SenderRole.LEARNER,
        tracking_code=_marker(school.code),
        received_at=_ago(30),
        status=Status.HANDLING,
        handled_by=worker,
        what_happened="Em bị bạn đăng ảnh chế lên nhóm lớp, em rất buồn và không muốn đến lớp.",
    )
    ConcernMessage.objects.create(
        concern=helped,
        author_kind=ConcernMessage.Author.TEAM,
        author=worker,
        text="Cô đã đọc thư của em. Em có thể đến phòng tư vấn giờ ra chơi, cô chờ em nhé.",
        created_at=_ago(28),
    )
    answered = _ago(3)
    ConcernMessage.objects.create(
        concern=helped,
        author_kind=ConcernMessage.Author.REPORTER,
        text="Dạ, mai em sẽ đến ạ.",
        created_at=answered,
    )
    Concern.objects.filter(pk=helped.pk).update(last_sender_message_at=answered)
    _concern(
        school,
        channel=Channel.ONLINE,
        received_at=_ago(2),
        held_as_possible_spam=True,
        what_happened="Mua thẻ cào giá rẻ, nhắn tin ngay để nhận quà!!!",
    )


@transaction.atomic
def load_demo_concerns() -> int:
    """Load the demo concerns into each demo school that has none of them yet; how many schools."""
    loaded = 0
    for code in DEMO_SCHOOL_CODES:
        school = School.objects.filter(code=code).first()
        if school is None or Concern.objects.filter(tracking_code=_marker(code)).exists():
            continue
        _load(school)
        loaded += 1
    return loaded


__all__ = ["load_demo_concerns"]
