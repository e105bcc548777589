"""A semester of fictitious counselling sessions and awareness activities for the demo
schools, so the log, its filters and the reports have something to count.

Per demo school (HB, SM): about 60 sessions from 1 August of the school year to today,
spread over the forms, the content areas, grades, genders and outcomes, some naming
learners of the demo class lists (learners.demo), and 8 activities, some linked to
the school's live campaign pages. Everything is drawn from a fixed seed, so two
loads make the same world. Safe to run again: a school that already has sessions or
activities is left as it is.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from counselling.models import Activity, CounsellingArea, CounsellingEntry, CountGender
from forms_app.models import Case, CaseState
from learners.grades import grade_of
from learners.models import Learner
from schools.models import Membership, School
from schools.roles import Role

DEMO_SCHOOL_CODES = ("HB", "SM")
ENTRIES_PER_SCHOOL = 60
SEED = 1618

FORMS = [
    (CounsellingEntry.Form.INDIVIDUAL, 10),
    (CounsellingEntry.Form.GROUP, 3),
    (CounsellingEntry.Form.CLASS, 2),
    (CounsellingEntry.Form.ONLINE, 3),
    (CounsellingEntry.Form.PHONE, 2),
]
OUTCOMES = [
    (CounsellingEntry.Outcome.RESOLVED, 12),
    (CounsellingEntry.Outcome.FOLLOW_UP, 6),
    (CounsellingEntry.Outcome.CASE, 1),
]
NOTES = (
    "Em lo lắng về kết quả kiểm tra giữa kỳ; đã cùng em lập kế hoạch ôn tập.",
    "Em chưa quen bạn mới trong lớp; gợi ý em tham gia câu lạc bộ.",
    "Em hỏi về việc chọn trường và ngành học sau khi tốt nghiệp.",
    "Em căng thẳng vì mâu thuẫn với bạn thân; đã hướng dẫn cách trò chuyện.",
    "Em hay mất ngủ trước giờ kiểm tra; hướng dẫn cách thư giãn.",
    "Em hỏi về an toàn khi dùng mạng xã hội.",
    "Cả nhóm hỏi về tuổi dậy thì và cách giữ gìn sức khỏe.",
    "",
)
ACTIVITIES = (
    ("Tuần sinh hoạt công dân đầu năm học", Activity.Kind.WEEK, Activity.Audience.STUDENTS, 0),
    (
        "Nói chuyện chuyên đề: Phòng chống bắt nạt học đường",
        Activity.Kind.TALK,
        Activity.Audience.STUDENTS,
        3,
    ),
    ("Câu lạc bộ Kỹ năng sống: làm chủ cảm xúc", Activity.Kind.CLUB, Activity.Audience.STUDENTS, 3),
    (
        "Họp phụ huynh: đồng hành cùng con tuổi dậy thì",
        Activity.Kind.TALK,
        Activity.Audience.PARENTS,
        1,
    ),
    (
        "Tập huấn giáo viên: nhận biết dấu hiệu trẻ cần hỗ trợ",
        Activity.Kind.TALK,
        Activity.Audience.TEACHERS,
        2,
    ),
    ("Tháng hành động vì trẻ em", Activity.Kind.MONTH, Activity.Audience.MIXED, 6),
    (
        "Câu lạc bộ Hướng nghiệp: gặp gỡ cựu học sinh",
        Activity.Kind.CLUB,
        Activity.Audience.STUDENTS,
        4,
    ),
    ("Ngày hội an toàn trên không gian mạng", Activity.Kind.OTHER, Activity.Audience.STUDENTS, 5),
)


def semester_start(today: datetime.date) -> datetime.date:
    """1 August of the school year ``today`` is in."""
    return datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)


def _weekday(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    days = max((end - start).days, 0)
    day = start + datetime.timedelta(days=rng.randint(0, days))
    while day.weekday() >= 5 and day > start:
        day -= datetime.timedelta(days=1)
    return day


def _pick(rng: random.Random, weighted: list) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _worker(school: School):
    membership = (
        Membership.objects.filter(school=school, role=Role.CASE_WORKER)
        .select_related("user")
        .first()
        or Membership.objects.filter(school=school, role=Role.PRINCIPAL)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _entries(school: School, rng: random.Random, today: datetime.date) -> None:
    areas = list(CounsellingArea.objects.filter(active=True).order_by("sort_order", "pk"))
    learners = list(Learner.objects.filter(school=school, on_roll=True).order_by("pk"))
    open_cases = list(
        Case.objects.filter(school=school).exclude(state=CaseState.CLOSED).order_by("pk")
    )
    counsellor = _worker(school)
    start = semester_start(today)
    grades = sorted({g for g in (grade_of(x.class_name) for x in learners) if g}) or [6, 7, 8, 9]
    for _ in range(ENTRIES_PER_SCHOOL):
        form = _pick(rng, FORMS)
        outcome = _pick(rng, OUTCOMES)
        named: list[Learner] = []
        if form == CounsellingEntry.Form.CLASS:
            participants = rng.randint(28, 42)
        elif form == CounsellingEntry.Form.GROUP:
            participants = rng.randint(3, 8)
        else:
            participants = 1
        if learners and form != CounsellingEntry.Form.CLASS and rng.random() < 0.35:
            named = rng.sample(learners, min(len(learners), 1 if participants == 1 else 2))
        case = None
        if outcome == CounsellingEntry.Outcome.CASE:
            if open_cases:
                case = rng.choice(open_cases)
            else:
                outcome = CounsellingEntry.Outcome.FOLLOW_UP
        if named:
            named_grades = {grade_of(x.class_name) for x in named}
            grade = named_grades.pop() if len(named_grades) == 1 else None
            genders = {x.gender for x in named}
            gender = (
                genders.pop()
                if len(genders) == 1 and genders <= {CountGender.MALE, CountGender.FEMALE}
                else CountGender.MIXED
            )
        else:
            grade = rng.choice(grades) if rng.random() < 0.9 else None
            gender = (
                rng.choice([CountGender.MALE, CountGender.FEMALE, CountGender.UNKNOWN])
                if participants == 1
                else CountGender.MIXED
            )
        entry = CounsellingEntry.objects.create(
            school=school,
            held_on=_weekday(rng, start, today),
            form=form,
            area=rng.choice(areas),
            participants=participants,
            grade=grade,
            gender=gender,
            duration_minutes=rng.choice([15, 20, 30, 45, 60]),
            outcome=outcome,
            case=case,
            notes=rng.choice(NOTES),
            counsellor=counsellor,
        )
        if named:
            entry.learners.set(named)


def _activities(school: School, rng: random.Random, today: datetime.date) -> None:
    from counselling.forms import campaigns_of

    areas = list(CounsellingArea.objects.filter(active=True).order_by("sort_order", "pk"))
    campaigns = list(campaigns_of([school]))
    start = semester_start(today)
    author = _worker(school)
    for index, (title, kind, audience, area_index) in enumerate(ACTIVITIES):
        held_on = (
            datetime.date(start.year, 9, 5)
            if kind == Activity.Kind.WEEK
            else _weekday(rng, start + datetime.timedelta(days=30), today)
        )
        held_on = min(held_on, today)
        ends_on = None
        if kind == Activity.Kind.WEEK:
            ends_on = held_on + datetime.timedelta(days=4)
        elif kind == Activity.Kind.MONTH:
            ends_on = held_on + datetime.timedelta(days=29)
        Activity.objects.create(
            school=school,
            title=title,
            kind=kind,
            held_on=held_on,
            ends_on=ends_on,
            audience=audience,
            participants=rng.randint(30, 600) if audience != Activity.Audience.TEACHERS else 40,
            area=areas[area_index % len(areas)],
            campaign=campaigns[index % len(campaigns)] if campaigns and index % 3 == 0 else None,
            notes="",
            created_by=author,
        )


@transaction.atomic
def load_demo_counselling(today: datetime.date | None = None) -> int:
    """Fill each demo school that has no session and no activity yet; how many were filled."""
    today = today or timezone.localdate()
    loaded = 0
    for number, code in enumerate(DEMO_SCHOOL_CODES):
        school = School.objects.filter(code=code).first()
        if school is None:
            continue
        if (
            CounsellingEntry.objects.filter(school=school).exists()
            or Activity.objects.filter(school=school).exists()
        ):
            continue
        rng = random.Random(SEED + number)
        _entries(school, rng, today)
        _activities(school, rng, today)
        loaded += 1
    return loaded


__all__ = ["load_demo_counselling"]
