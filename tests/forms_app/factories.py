"""Cases in each state of the procedure, built through forms_app's own actions.

The records carry answers in the shape the wizards store, so the print layout
and the later templates' prefill read them as they would read real ones.
"""

import datetime

from django.utils import timezone

from forms_app.cases import transitions
from forms_app.cases.opening import open_case
from forms_app.models import (
    Assessment,
    Case,
    CaseState,
    IntakeReport,
    InterventionPlan,
    NeedDomain,
    RatingCriterion,
    ReceivingBody,
    Review,
)
from forms_app.printing.sections import snapshot

LEARNER_NAME = "Đỗ Thị Ánh Tuyết"

# The order in which a case goes through the procedure when all goes to plan.
PATH = [
    CaseState.RECEIVED,
    CaseState.ASSESSED,
    CaseState.PLAN_SUBMITTED,
    CaseState.PLAN_APPROVED,
    CaseState.IN_PROGRESS,
    CaseState.REVIEWED,
    CaseState.CLOSED,
]


def rated(table: str, level: str = "medium") -> dict:
    return {
        "items": [
            {"criterion": snapshot(c), "level": level, "note": "Ghi chú thử nghiệm"}
            for c in RatingCriterion.objects.filter(table=table, active=True)
        ]
    }


def plan_answers() -> dict:
    return {
        "problems": {"text": "Em bị bạn cùng lớp trêu chọc, ngại đến trường"},
        "goals": {"items": [{"text": "Em đến lớp đều đặn và thấy an toàn"}]},
        "activities": {
            "items": [
                {
                    "need": "An toàn",
                    "activity": "Tham vấn cá nhân hằng tuần",
                    "responsible": "Tổ tư vấn học đường",
                    "partners": [],
                    "timing": "Tháng 3 – tháng 4",
                    "resources": "Phòng tư vấn",
                    "expected_result": "Em tự tin hơn",
                }
            ]
        },
    }


def make_case(school, worker, principal=None, state: str = CaseState.RECEIVED, **learner) -> Case:
    """A case of ``school`` opened by ``worker`` and moved along the usual path to ``state``.

    ``principal`` decides on the plan and closes the case; it is needed from
    "plan approved" on. ``state`` may also be "referred" (referred from intake)
    or "plan_returned".
    """
    received_at = timezone.now() - datetime.timedelta(hours=1)
    learner.setdefault("learner_name", LEARNER_NAME)
    learner.setdefault("learner_class", "7A")
    case = open_case(school, worker, received_at=received_at, **learner)
    IntakeReport.objects.create(
        case=case,
        received_at=received_at,
        author=worker,
        answers={
            "source": {"channel": "phone"},
            "learner": {"current_condition": "Em hay khóc, ít nói"},
        },
    )
    if state == CaseState.RECEIVED:
        return case
    if state == CaseState.REFERRED:
        body = ReceivingBody.objects.filter(school__isnull=True).first()
        transitions.refer_case(case, body, worker, consent_given=True)
        return _fresh(case)

    Assessment.objects.create(
        case=case,
        conclusion=Assessment.Conclusion.SUPPORT,
        author=worker,
        answers={
            "harm": rated(RatingCriterion.Table.HARM),
            "resilience": rated(RatingCriterion.Table.RESILIENCE),
            "needs": {
                "items": [
                    {"domain": snapshot(d), "priority": "high", "note": "Cần quan tâm"}
                    for d in NeedDomain.objects.filter(active=True)[:2]
                ]
            },
            "conclusion": {"conclusion": "support"},
        },
    )
    transitions.transition(case, CaseState.ASSESSED, worker)
    if state == CaseState.ASSESSED:
        return _fresh(case)

    plan = InterventionPlan.objects.create(
        case=case,
        version=1,
        author=worker,
        answers=plan_answers(),
        period_start=timezone.localdate(),
        period_end=timezone.localdate() + datetime.timedelta(days=30),
        review_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    transitions.submit_plan(plan, worker)
    if state == CaseState.PLAN_SUBMITTED:
        return _fresh(case)
    if state == CaseState.PLAN_RETURNED:
        transitions.return_plan(plan, principal, "Cần nêu rõ người phối hợp")
        return _fresh(case)

    transitions.approve_plan(plan, principal)
    if state == CaseState.PLAN_APPROVED:
        return _fresh(case)
    transitions.start_plan(case, worker)
    if state == CaseState.IN_PROGRESS:
        return _fresh(case)

    Review.objects.create(
        case=case,
        plan=plan,
        conclusion=Review.Conclusion.CLOSE,
        author=worker,
        answers={
            "results": {
                "goals": [
                    {"text": "Em đến lớp đều đặn và thấy an toàn", "result": "achieved"},
                ],
                "activities": [],
            },
            "harm": rated(RatingCriterion.Table.HARM, "low"),
            "resilience": rated(RatingCriterion.Table.RESILIENCE, "high"),
            "conclusion": {"conclusion": "close"},
        },
    )
    transitions.transition(case, CaseState.REVIEWED, worker)
    if state == CaseState.REVIEWED:
        return _fresh(case)
    transitions.close_case(case, principal)
    return _fresh(case)


def _fresh(case: Case) -> Case:
    case.refresh_from_db()
    return case
