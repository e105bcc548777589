"""Load a few fictitious cases into each demo school, so the case area has something to show.

Every learner here is invented and named as such ("Học sinh A (giả định)"); no
real child's situation is described. Run by ``load_demo_data``; safe to run again.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from forms_app.cases import deadlines
from forms_app.cases.consent import GUARDIAN_SUSPECTED, YES
from forms_app.cases.opening import open_case
from forms_app.cases.transitions import refresh_deadline
from forms_app.models import (
    ActivityPartner,
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    Gender,
    IntakeReport,
    InterventionPlan,
    IssueCategory,
    NeedDomain,
    RatingCriterion,
    ReceivingBody,
    Referral,
    Review,
)
from forms_app.printing.sections import snapshot
from schools.models import School

# Demo schools made by pages' load_demo_data, and their demo staff.
DEMO_SCHOOL_CODES = ("HB", "SM")


def case_worker_username(code: str) -> str:
    return f"ctxh.{code.lower()}"


def principal_username(code: str) -> str:
    return f"hieutruong.{code.lower()}"


@dataclass(frozen=True)
class DemoCase:
    learner_name: str
    learner_class: str
    gender: str
    age: int
    categories: tuple[str, ...]
    state: str
    days_ago: int
    situation: str
    overdue: bool = False
    goals: tuple[str, ...] = field(default=())


DEMO_CASES = [
    DemoCase(
        learner_name="Học sinh A (giả định)",
        learner_class="6A",
        gender=Gender.FEMALE,
        age=11,
        categories=("bị bắt nạt",),
        state=CaseState.RECEIVED,
        days_ago=1,
        situation="Bạn cùng lớp báo em hay bị trêu chọc giờ ra chơi (tình huống giả định).",
    ),
    DemoCase(
        learner_name="Học sinh B (giả định)",
        learner_class="7B",
        gender=Gender.MALE,
        age=12,
        categories=("khó khăn tâm lý",),
        state=CaseState.ASSESSED,
        days_ago=8,
        situation="Giáo viên chủ nhiệm thấy em ít nói, hay nghỉ học (tình huống giả định).",
    ),
    DemoCase(
        learner_name="Học sinh C (giả định)",
        learner_class="8A",
        gender=Gender.UNKNOWN,
        age=13,
        categories=("có hoàn cảnh đặc biệt", "bị bạo lực"),
        state=CaseState.PLAN_SUBMITTED,
        days_ago=12,
        situation="Em kể với cô tư vấn về mâu thuẫn trong gia đình (tình huống giả định).",
        overdue=True,
        goals=("Em cảm thấy an toàn khi ở nhà và ở trường",),
    ),
    DemoCase(
        learner_name="Học sinh D (giả định)",
        learner_class="9C",
        gender=Gender.FEMALE,
        age=14,
        categories=("bỏ học / có nguy cơ bỏ học",),
        state=CaseState.PLAN_APPROVED,
        days_ago=20,
        situation="Em nghỉ học nhiều buổi để phụ giúp gia đình (tình huống giả định).",
        goals=("Em đi học đều trở lại", "Gia đình được tư vấn về hỗ trợ học phí"),
    ),
    DemoCase(
        learner_name="Học sinh F (giả định)",
        learner_class="8C",
        gender=Gender.MALE,
        age=13,
        categories=("khó khăn tâm lý",),
        state=CaseState.IN_PROGRESS,
        days_ago=50,
        situation="Em lo lắng kéo dài trước các kỳ kiểm tra (tình huống giả định).",
        overdue=True,
        goals=("Em biết cách thư giãn trước giờ kiểm tra",),
    ),
    DemoCase(
        learner_name="Học sinh G (giả định)",
        learner_class="7A",
        gender=Gender.FEMALE,
        age=12,
        categories=("bị bạo lực",),
        state=CaseState.REFERRED,
        days_ago=3,
        situation="Em có vết bầm ở tay và nói bị người lớn đánh (tình huống giả định).",
        overdue=True,
    ),
    DemoCase(
        learner_name="Học sinh E (giả định)",
        learner_class="6B",
        gender=Gender.MALE,
        age=11,
        categories=("bị bắt nạt",),
        state=CaseState.CLOSED,
        days_ago=60,
        situation="Em bị nhóm bạn lớp trên chặn đường xin tiền (tình huống giả định).",
        goals=("Em không còn bị chặn đường", "Nhóm bạn lớp trên được giáo dục"),
    ),
]

# The order the procedure takes a case through, up to each demo state.
PATH = [
    CaseState.RECEIVED,
    CaseState.ASSESSED,
    CaseState.PLAN_SUBMITTED,
    CaseState.PLAN_APPROVED,
    CaseState.IN_PROGRESS,
    CaseState.REVIEWED,
    CaseState.CLOSED,
]


class Command(BaseCommand):
    help = "Load fictitious demo cases into the demo schools HB and SM (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        User = get_user_model()
        created = 0
        for code in DEMO_SCHOOL_CODES:
            school = School.objects.filter(code=code).first()
            worker = User.objects.filter(username=case_worker_username(code)).first()
            if school is None or worker is None:
                self.stdout.write(f"Skipping {code}: demo school or case worker missing.")
                continue
            principal = User.objects.filter(username=principal_username(code)).first()
            for demo in DEMO_CASES:
                if Case.objects.filter(Case.name_lookup(demo.learner_name), school=school).exists():
                    continue
                self._load(school, worker, principal, demo)
                created += 1
        self.stdout.write(self.style.SUCCESS(f"Demo cases ready: {created} created."))

    def _load(self, school: School, worker, principal, demo: DemoCase) -> Case:
        now = timezone.now()
        received_at = now - datetime.timedelta(days=demo.days_ago)
        case = open_case(
            school,
            worker,
            received_at=received_at,
            learner_name=demo.learner_name,
            learner_class=demo.learner_class,
            learner_gender=demo.gender,
            learner_age_estimate=demo.age,
        )
        CaseEvent.objects.filter(case=case).update(at=received_at)
        case.categories.set(IssueCategory.objects.filter(name__in=demo.categories))

        IntakeReport.objects.create(
            case=case,
            author=worker,
            created_at=received_at,
            received_at=received_at,
            urgency=IntakeReport.Urgency.NOT_URGENT,
            answers={
                "source": {"channel": "in_person"},
                "learner": {"current_condition": demo.situation, "learner_consent": YES},
                # The referred case's harm came from an adult at home, so the guardian
                # was not asked; its referral records the danger exception instead.
                "family": {
                    "guardian_consent": (
                        GUARDIAN_SUSPECTED if demo.state == CaseState.REFERRED else YES
                    )
                },
                "first_assessment": {"notes": "Dữ liệu minh họa, không phải người thật."},
            },
        )
        if demo.state == CaseState.REFERRED:
            # Referred straight from intake: a violence case beyond the school.
            body = ReceivingBody.objects.filter(school__isnull=True, active=True).first()
            at = received_at + datetime.timedelta(hours=1)
            Referral.objects.create(
                case=case,
                author=worker,
                created_at=at,
                receiving_body=body,
                due_at=(
                    now - datetime.timedelta(hours=2)
                    if demo.overdue
                    else deadlines.referral_due(school, received_at)
                ),
                consent_given=False,
                danger_exception="Em có dấu hiệu bị bạo lực (tình huống giả định).",
            )
            self._transition(case, worker, at, CaseState.REFERRED)
            self._save(case)
            return case
        self._event(case, worker, received_at, CaseEvent.Kind.RECORD, note="Mẫu 01")

        steps = PATH[1 : PATH.index(demo.state) + 1]
        at = received_at
        plan = None
        for state in steps:
            at += datetime.timedelta(days=2)
            actor = worker
            if state == CaseState.ASSESSED:
                Assessment.objects.create(
                    case=case,
                    author=worker,
                    created_at=at,
                    conclusion=Assessment.Conclusion.SUPPORT,
                    answers=self._assessment_answers(),
                )
                self._event(case, worker, at, CaseEvent.Kind.RECORD, note="Mẫu 02")
            elif state == CaseState.PLAN_SUBMITTED:
                plan = InterventionPlan.objects.create(
                    case=case,
                    author=worker,
                    created_at=at,
                    status=InterventionPlan.Status.SUBMITTED,
                    submitted_at=at,
                    approval_due_at=deadlines.plan_approval_due(school, at),
                    period_start=at.date(),
                    period_end=(at + datetime.timedelta(days=60)).date(),
                    review_date=(at + datetime.timedelta(days=45)).date(),
                    answers={
                        "problems": {"text": demo.situation},
                        "goals": {"items": [{"text": goal} for goal in demo.goals]},
                        "activities": {
                            "items": [
                                {
                                    "need": "Tâm lý",
                                    "activity": "Tham vấn cá nhân hằng tuần",
                                    "responsible": "Tổ tư vấn học đường",
                                    "partners": [
                                        snapshot(p) for p in ActivityPartner.objects.all()[:2]
                                    ],
                                    "timing": "Trong thời gian kế hoạch",
                                    "resources": "Phòng tư vấn của trường",
                                    "expected_result": goal,
                                }
                                for goal in demo.goals
                            ]
                        },
                    },
                )
                self._event(case, worker, at, CaseEvent.Kind.RECORD, note="Mẫu 03")
            elif state == CaseState.PLAN_APPROVED and plan is not None:
                actor = principal or worker
                plan.status = InterventionPlan.Status.APPROVED
                plan.decided_by = principal
                plan.decided_at = at
                plan.save(update_fields=["status", "decided_by", "decided_at"])
            elif state == CaseState.REVIEWED and plan is not None:
                Review.objects.create(
                    case=case,
                    plan=plan,
                    author=worker,
                    created_at=at,
                    conclusion=Review.Conclusion.CLOSE,
                    answers={
                        "results": {
                            "goals": [
                                {"text": g, "result": "achieved", "evidence": "GVCN xác nhận"}
                                for g in demo.goals
                            ],
                            "activities": [],
                        },
                        "harm": self._rated(RatingCriterion.Table.HARM, "low"),
                        "resilience": self._rated(RatingCriterion.Table.RESILIENCE, "high"),
                        "conclusion": {"conclusion": "close", "reasons": "Không còn nguy cơ"},
                    },
                )
                self._event(case, worker, at, CaseEvent.Kind.RECORD, note="Mẫu 04")
            elif state == CaseState.CLOSED:
                actor = principal or worker
            self._transition(case, actor, at, state)

        if demo.overdue and plan is not None:
            self._make_late(case, plan, now)
        self._save(case)
        return case

    def _save(self, case: Case) -> None:
        """Store the state reached, and the next deadline as every real case gets it.

        The deadline is not written here: ``refresh_deadline`` computes it from the
        records just made, as it does after every transition, so a demo case shows
        in the case list and on the to-do lists exactly as a real one would.
        """
        case.save(update_fields=["state"])
        refresh_deadline(case)

    def _make_late(self, case: Case, plan: InterventionPlan, now: datetime.datetime) -> None:
        """Put the obligation the case waits on in the past, as on a case left late."""
        if case.state == CaseState.PLAN_SUBMITTED:
            # The principal has not decided within three working days.
            plan.approval_due_at = now - datetime.timedelta(days=2)
            plan.save(update_fields=["approval_due_at"])
        elif case.state == CaseState.IN_PROGRESS:
            # The review date has passed and Mẫu 04 is not written yet. A date in a
            # holiday is due on the next working day, so step back until it is past.
            day = timezone.localdate(now) - datetime.timedelta(days=3)
            while deadlines.review_due(day, case.school) >= now:
                day -= datetime.timedelta(days=1)
            plan.review_date = day
            plan.save(update_fields=["review_date"])

    def _rated(self, table: str, level: str) -> dict:
        return {
            "items": [
                {"criterion": snapshot(c), "level": level, "note": ""}
                for c in RatingCriterion.objects.filter(table=table, active=True)
            ]
        }

    def _assessment_answers(self) -> dict:
        return {
            "verification": {"method": "Trao đổi với GVCN và gia đình (giả định)"},
            "harm": self._rated(RatingCriterion.Table.HARM, "medium"),
            "resilience": self._rated(RatingCriterion.Table.RESILIENCE, "medium"),
            "risk": {
                "recurrence": "medium",
                "dropout": "low",
                "self_harm": "low",
                "overall": "medium",
            },
            "needs": {
                "items": [
                    {"domain": snapshot(d), "priority": "high", "note": ""}
                    for d in NeedDomain.objects.filter(active=True)[:2]
                ]
            },
            "conclusion": {"conclusion": "support"},
        }

    def _transition(self, case: Case, actor, at: datetime.datetime, state: str) -> None:
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            at=at,
            kind=CaseEvent.Kind.TRANSITION,
            from_state=case.state,
            to_state=state,
        )
        case.state = state

    def _event(self, case: Case, actor, at: datetime.datetime, kind: str, note: str = "") -> None:
        CaseEvent.objects.create(case=case, actor=actor, at=at, kind=kind, note=note)
