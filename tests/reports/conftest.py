"""The report tests' shared set-up: a clock to stand at a moment, a builder that makes
cases, counselling entries and activities through the project's own code at chosen
times, and one known semester built with it, whose every figure is worked out by hand
in ``KNOWN``.

The known semester is Học kỳ I of 2026–2027 (1/8/2026 to 10/1/2027) at school AL,
with school BK beside it, whose records must never be counted. It is built once per
test module (``tests/forms_app/module_data.py``) and read afresh by each test. Times
are local (Asia/Ho_Chi_Minh); the working calendar is the default one (07:00–11:30,
13:30–17:00, Monday to Friday) with the public holidays of the ``holidays`` package:
Tuesday 24/11/2026 (Vietnam Cultural Day) and Friday 1/1/2027 fall inside it.
"""

import datetime
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import timezone

from counselling.models import Activity, CounsellingArea, CounsellingEntry
from forms_app.cases import transitions
from forms_app.cases.opening import open_case
from forms_app.models import (
    Assessment,
    Case,
    IntakeReport,
    InterventionPlan,
    IssueCategory,
    ReceivingBody,
    Referral,
    Review,
)
from reports.periods import period
from schools.roles import Role
from tests.conftest import build_school, build_staff
from tests.forms_app.module_data import ModuleData, fresh, module_transaction

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A local moment at the school."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


@contextmanager
def clock(moment: datetime.datetime) -> Iterator[None]:
    """Stand at ``moment``: ``timezone.now()`` and every model field defaulting to it
    (a timeline event's time, a record's creation time) answer ``moment``."""
    real_now = timezone.now
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is real_now
    ]
    with ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", return_value=moment))
        for field in fields:
            # Field.get_default() reads this cached property, bound to the real now().
            stack.enter_context(
                mock.patch.object(field, "_get_default", mock.Mock(return_value=moment))
            )
        yield


class Builder:
    """Makes one school's records at given moments, through forms_app's own actions.

    ``worker`` (a case worker) opens, refers, writes plans and reviews; ``principal``
    decides on plans and closes cases.
    """

    def __init__(self, school, worker, principal) -> None:
        self.school = school
        self.worker = worker
        self.principal = principal

    # Cases

    def case(
        self,
        received: datetime.datetime,
        learner_class: str = "",
        gender: str = "unknown",
        categories=(),
    ) -> Case:
        """A case whose information came in at ``received`` (Mẫu 01 filed then)."""
        with clock(received):
            case = open_case(
                self.school,
                self.worker,
                received_at=received,
                learner_name="Học sinh Giả Định",
                learner_class=learner_class,
                learner_gender=gender,
            )
            IntakeReport.objects.create(case=case, received_at=received, author=self.worker)
            case.categories.set(categories)
        return case

    def refer(self, case: Case, when: datetime.datetime) -> Referral:
        body = ReceivingBody.objects.filter(school__isnull=True, active=True).first()
        with clock(when):
            return transitions.refer_case(case, body, self.worker, consent_given=True)

    def send(self, referral: Referral, when: datetime.datetime) -> None:
        with clock(when):
            transitions.mark_referral_sent(referral, self.worker)

    def plan(
        self,
        case: Case,
        submitted: datetime.datetime,
        review_date: datetime.date | None = None,
    ) -> InterventionPlan:
        """Assess the case (support in school) and submit a plan at ``submitted``."""
        with clock(submitted - datetime.timedelta(hours=1)):
            Assessment.objects.create(
                case=case, conclusion=Assessment.Conclusion.SUPPORT, author=self.worker
            )
            transitions.transition(case, "assessed", self.worker)
        with clock(submitted):
            plan = InterventionPlan.objects.create(
                case=case,
                version=1,
                author=self.worker,
                period_start=submitted.date(),
                period_end=submitted.date() + datetime.timedelta(days=60),
                review_date=review_date,
            )
            transitions.submit_plan(plan, self.worker)
        return plan

    def approve(self, plan: InterventionPlan, when: datetime.datetime) -> None:
        with clock(when):
            transitions.approve_plan(plan, self.principal)

    def start(self, case: Case, when: datetime.datetime) -> None:
        with clock(when):
            transitions.start_plan(case, self.worker)

    def review(
        self, case: Case, plan: InterventionPlan, when: datetime.datetime, conclusion: str
    ) -> Review:
        """File a review (Mẫu 04) of ``plan`` at ``when``; the case moves to "reviewed"."""
        with clock(when):
            review = Review.objects.create(
                case=case, plan=plan, conclusion=conclusion, author=self.worker
            )
            transitions.transition(case, "reviewed", self.worker)
        return review

    def close(self, case: Case, when: datetime.datetime) -> None:
        with clock(when):
            transitions.close_case(case, self.principal)

    # Counselling log and activities

    def entry(
        self,
        held_on: datetime.date,
        area,
        form: str = "individual",
        participants: int = 1,
        grade: int | None = None,
        gender: str = "unknown",
    ) -> CounsellingEntry:
        return CounsellingEntry.objects.create(
            school=self.school,
            held_on=held_on,
            area=area,
            form=form,
            participants=participants,
            grade=grade,
            gender=gender,
            counsellor=self.worker,
        )

    def activity(self, held_on: datetime.date, area, participants: int, kind: str = "talk"):
        return Activity.objects.create(
            school=self.school,
            title="Hoạt động giả định",
            held_on=held_on,
            area=area,
            participants=participants,
            kind=kind,
            created_by=self.worker,
        )


def build_staffed_school(code: str) -> Builder:
    """A school with a case worker and a principal, and a builder for its records."""
    school = build_school(code)
    worker = build_staff(f"ctxh.{code.lower()}", Role.CASE_WORKER, school)
    principal = build_staff(f"ht.{code.lower()}", Role.PRINCIPAL, school)
    return Builder(school, worker, principal)


# The known semester ------------------------------------------------------------------

D = datetime.date

# Every figure of AL's Học kỳ I 2026–2027, worked out by hand from build_known_semester
# (as_of 12/1/2027 09:30, after the end of the period: the window is 1/8/2026 00:00 to
# 11/1/2027 00:00). Areas are the first three seeded content areas (a1–a3) and an
# inactive one (old); categories are the first two seeded issue categories (A, B).
KNOWN_AS_OF = at(2027, 1, 12, 9, 30)
KNOWN = {
    "totals": {
        # E1–E6 and E9: 1 + 1 + 5 + 32 + 1 + 1 + 1 participants.
        "sessions": 7,
        "session_participants": 42,
        # C1–C9 and C12 received in the window; C10, C11 before it, C13 after.
        "cases_opened": 10,
        # Referrals of C1–C4 (20/11) and C12 (4/1); C11's (15/7) is before the window.
        "cases_referred": 5,
        # C1 (30/11) and C5 (8/12); C11 closed 20/7, C12 on 12/1 after the end.
        "cases_closed": 2,
        # C1–C12 were received before the end; C1, C5 and C11 were closed by then.
        "cases_open": 9,
        "referrals": 5,
        # C1 sent Mon 23/11, C2 Wed 25/11 08:30 (due 09:00, Tuesday being a holiday),
        # C12 Mon 4/1 14:00 (due Tue 5/1 11:30); C3 sent at 10:00 is late, C4 never sent.
        "referrals_on_time": 3,
        # P1–P5 were all approved in the window.
        "plans_approved": 5,
        # P1 submitted Thu 19/11 is due Wed 25/11 17:00 (Fri, Mon, and Wed since Tuesday
        # is a holiday) and approved Wed 16:00; P4 and P5 (submitted Thu 12/11, due Tue
        # 17/11 17:00) on Mon 16/11 and Fri 13/11. P2 (Thu 26/11) and P3 (Wed 18/11) late.
        "plans_approved_on_time": 3,
        # P1 (Sat 5/12), P2 and P3 (Thu 10/12), P4 (Tue 15/12); P5's is 20/1/2027.
        "reviews_due": 4,
        # P1 reviewed Mon 7/12 (due then: the 5th is a Saturday), P3 Wed 9/12; P2's on
        # Fri 11/12 is late and P4 has none.
        "reviews_on_time": 2,
        # C4 (its referral, due 25/11, never sent) and C8 (review due 15/12, none filed).
        "overdue": 2,
        # A1 (300) and A2 (25); A3 before the window, A4 after.
        "activities": 2,
        "activity_participants": 325,
    },
    "sessions_by_form": {
        "individual": [3, 3],
        "group": [1, 5],
        "class": [1, 32],
        "online": [1, 1],
        "phone": [1, 1],
    },
    "sessions_by_area": {"a1": [3, 3], "a2": [2, 37], "a3": [1, 1], "old": [1, 1]},
    # male, female, mixed, unknown
    "sessions_by_grade": {
        "6": [1, 1, 0, 0],
        "7": [0, 0, 1, 0],
        "8": [0, 0, 1, 0],
        "9": [0, 1, 0, 0],
        "10": [1, 0, 0, 0],
        "none": [0, 0, 0, 1],
    },
    # opened, referred, closed, open
    "cases_by_category": {
        "A": [3, 2, 2, 2],  # C1, C2, C5 opened; C1, C2 referred; C1, C5 closed; C2, C10 open
        "B": [3, 2, 0, 3],  # C2, C4, C6
        "none": [5, 2, 0, 5],  # C3, C7, C8, C9, C12 (and C11, counted nowhere)
    },
    # male, female, unknown (cases opened)
    "cases_by_grade": {
        "6": [1, 1, 0],
        "7": [1, 1, 0],
        "8": [1, 0, 0],
        "9": [0, 1, 0],
        "10": [1, 0, 0],
        "11": [0, 0, 1],
        "12": [0, 1, 0],
        "none": [0, 0, 1],
    },
    # activities, participants
    "activities_by_area": {"a1": [1, 300], "a2": [1, 25]},
}


def build_known_semester() -> SimpleNamespace:
    """AL's known Học kỳ I 2026–2027 (see ``KNOWN``), and BK's records beside it."""
    al = build_staffed_school("AL")
    bk = build_staffed_school("BK")
    semester = period(2026, "semester_1")
    a1, a2, a3 = CounsellingArea.objects.filter(active=True).order_by("sort_order", "pk")[:3]
    old = CounsellingArea.objects.create(name="Nội dung cũ (đã bỏ)", active=False)
    CounsellingArea.objects.create(name="Nội dung chưa dùng (đã bỏ)", active=False)
    cat_a, cat_b = IssueCategory.objects.filter(active=True).order_by("sort_order", "pk")[:2]

    # Referrals received Friday 20/11 15:00: 2 h that day, 8 h on Monday 23/11, Tuesday
    # 24/11 is a holiday, so the 12th working hour ends Wednesday 25/11 at 09:00.
    friday = at(2026, 11, 20, 15)
    c1 = al.case(friday, "7A", "female", [cat_a])
    c2 = al.case(friday, "7B", "male", [cat_a, cat_b])
    c3 = al.case(friday, "8A", "male")
    c4 = al.case(friday, "", "unknown", [cat_b])
    referrals = [al.refer(case, at(2026, 11, 20, 16)) for case in (c1, c2, c3, c4)]
    al.send(referrals[0], at(2026, 11, 23, 16))
    al.send(referrals[1], at(2026, 11, 25, 8, 30))
    al.send(referrals[2], at(2026, 11, 25, 10))
    al.close(c1, at(2026, 11, 30, 9))

    # Plans: approval is due at the close of the 3rd working day after submission.
    c5 = al.case(at(2026, 11, 9, 8), "6A", "female", [cat_a])
    p1 = al.plan(c5, at(2026, 11, 19, 10), review_date=D(2026, 12, 5))
    al.approve(p1, at(2026, 11, 25, 16))
    al.start(c5, at(2026, 11, 26, 8))
    al.review(c5, p1, at(2026, 12, 7, 10), Review.Conclusion.CLOSE)
    al.close(c5, at(2026, 12, 8, 9))

    c6 = al.case(at(2026, 11, 9, 8), "9A", "female", [cat_b])
    p2 = al.plan(c6, at(2026, 11, 19, 10), review_date=D(2026, 12, 10))
    al.approve(p2, at(2026, 11, 26, 9))
    al.start(c6, at(2026, 11, 26, 10))
    al.review(c6, p2, at(2026, 12, 11, 10), Review.Conclusion.CONTINUE)

    c7 = al.case(at(2026, 11, 2, 8), "6B", "male")
    p3 = al.plan(c7, at(2026, 11, 12, 10), review_date=D(2026, 12, 10))
    al.approve(p3, at(2026, 11, 18, 9))
    al.start(c7, at(2026, 11, 18, 10))
    al.review(c7, p3, at(2026, 12, 9, 10), Review.Conclusion.CONTINUE)

    c8 = al.case(at(2026, 11, 2, 8), "12A1", "female")
    p4 = al.plan(c8, at(2026, 11, 12, 10), review_date=D(2026, 12, 15))
    al.approve(p4, at(2026, 11, 16, 9))
    al.start(c8, at(2026, 11, 16, 10))

    c9 = al.case(at(2026, 11, 2, 8), "10A", "male")
    p5 = al.plan(c9, at(2026, 11, 12, 10), review_date=D(2027, 1, 20))
    al.approve(p5, at(2026, 11, 13, 9))

    # Before, across and after the window.
    al.case(at(2026, 7, 20, 9), "7C", "female", [cat_a])  # C10, still open
    c11 = al.case(at(2026, 7, 15, 9), "8B", "male")
    al.send(al.refer(c11, at(2026, 7, 15, 10)), at(2026, 7, 15, 14))
    al.close(c11, at(2026, 7, 20, 9))
    # Monday 4/1/2027 08:00: 7 h that day, the 12th hour ends Tuesday 5/1 at 11:30.
    c12 = al.case(at(2027, 1, 4, 8), "11A", "unknown")
    al.send(al.refer(c12, at(2027, 1, 4, 9)), at(2027, 1, 4, 14))
    al.close(c12, at(2027, 1, 12, 9))
    al.case(at(2027, 1, 11, 8), "9B", "male", [cat_a])  # C13, after the end

    # The counselling log.
    al.entry(D(2026, 9, 15), a1, "individual", 1, 6, "female")  # E1
    al.entry(D(2026, 9, 16), a1, "individual", 1, 6, "male")  # E2
    al.entry(D(2026, 10, 1), a2, "group", 5, 7, "mixed")  # E3
    al.entry(D(2026, 10, 2), a2, "class", 32, 8, "mixed")  # E4
    al.entry(D(2026, 11, 3), a3, "online", 1, None, "unknown")  # E5
    al.entry(D(2027, 1, 10), a1, "phone", 1, 9, "female")  # E6, the last day
    al.entry(D(2026, 7, 31), a1, "individual", 1, 6, "female")  # E7, before
    al.entry(D(2027, 1, 11), a1, "individual", 1, 6, "female")  # E8, after
    al.entry(D(2026, 10, 5), old, "individual", 1, 10, "male")  # E9, a retired area

    # Activities.
    al.activity(D(2026, 9, 20), a1, 300)  # A1
    al.activity(D(2026, 11, 15), a2, 25, kind="club")  # A2
    al.activity(D(2026, 7, 31), a1, 40)  # A3, before
    al.activity(D(2027, 1, 15), a2, 60)  # A4, after

    # Another school's semester: a referral never sent (overdue), an entry, an activity.
    b1 = bk.case(friday, "7A", "female", [cat_a])
    bk.refer(b1, at(2026, 11, 20, 16))
    bk.entry(D(2026, 10, 1), a1, "group", 12, 7, "mixed")
    bk.activity(D(2026, 10, 1), a1, 500)

    return SimpleNamespace(
        school=al.school,
        other_school=bk.school,
        period=semester,
        areas={"a1": a1, "a2": a2, "a3": a3, "old": old},
        categories={"A": cat_a, "B": cat_b},
        as_of=KNOWN_AS_OF,
    )


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker) -> Iterator[ModuleData]:
    with module_transaction(request, django_db_blocker) as data:
        yield data


@pytest.fixture(scope="module")
def module_known_semester(module_db) -> SimpleNamespace:
    return module_db.build(build_known_semester)


@pytest.fixture
def known_semester(db, module_known_semester) -> SimpleNamespace:
    """AL's known Học kỳ I 2026–2027 and BK beside it (see ``KNOWN``), read afresh."""
    built = module_known_semester
    return SimpleNamespace(
        school=fresh(built.school),
        other_school=fresh(built.other_school),
        period=fresh(built.period),
        areas={key: fresh(area) for key, area in built.areas.items()},
        categories={key: fresh(c) for key, c in built.categories.items()},
        as_of=built.as_of,
    )
