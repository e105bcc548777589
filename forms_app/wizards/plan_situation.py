"""Which plan a case calls for (Mẫu 03), and what a draft of it starts from.

The procedure drafts a plan at four moments: the first plan after an assessment
concluding support, the rework of a version not approved yet, a revision of the
approved plan while it is carried out, and a new plan after a review concluding
one is needed. :func:`plan_situation` reads which one applies from the case; the
wizard asks it when a draft is started, each time it is shown, and again under a
lock when it is submitted. The functions after it read the earlier records a
draft is prefilled from.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from forms_app.cases import transitions
from forms_app.forms.plan import PRIORITY_LABELS, ActivitiesForm
from forms_app.models import Assessment, Case, CaseState, InterventionPlan, Review
from forms_app.printing.sections import as_text, step_answers, step_items

Status = InterventionPlan.Status

# Why a plan is being drafted.
FIRST = "first"  # after an assessment concluding support inside the school
REWORK = "rework"  # correcting a version not yet approved (returned, or a left-over draft)
REVISION = "revision"  # a new version of the approved plan in force
AFTER_REVIEW = "after_review"  # a new plan after a review concluding one is needed


@dataclass(frozen=True)
class PlanSituation:
    """Why a plan is being drafted for a case, and what it starts from.

    ``source`` is the plan prefilled from: the version being reworked, the
    approved plan being revised, or the plan that was reviewed.
    """

    purpose: str
    source: InterventionPlan | None = None
    assessment: Assessment | None = None
    review: Review | None = None

    @property
    def basis(self) -> str:
        """What the draft was started from, to notice at submission that it changed."""
        if self.purpose == FIRST:
            return f"{FIRST}:{self.assessment.pk}"
        if self.purpose == AFTER_REVIEW:
            return f"{AFTER_REVIEW}:{self.review.pk}"
        decided = self.source.decided_at.isoformat() if self.source.decided_at else ""
        return f"{self.purpose}:{self.source.pk}:{decided}"


def latest(queryset):
    """The record of ``queryset`` made last."""
    return queryset.order_by("-created_at", "-pk").first()


def plan_situation(case: Case) -> PlanSituation | None:
    """Which plan the case calls for now, or ``None`` when no plan may be sent.

    No plan is sent while another waits for the principal's decision. A version
    newer than the plan in force that is not approved yet (a revision the
    principal returned) is reworked rather than left stranded: a second
    revision beside it is what ``transitions.revise_plan`` refuses.
    """
    plans = InterventionPlan.objects.filter(case=case)
    if plans.filter(status=Status.SUBMITTED).exists():
        return None
    state = case.state
    if state == CaseState.ASSESSED:
        assessment = latest(Assessment.objects.filter(case=case))
        if assessment is None or assessment.conclusion != Assessment.Conclusion.SUPPORT:
            return None
        return PlanSituation(FIRST, assessment=assessment)
    if state == CaseState.PLAN_RETURNED:
        returned = plans.filter(status=Status.RETURNED).order_by("-version").first()
        return PlanSituation(REWORK, source=returned) if returned else None
    if state == CaseState.REVIEWED:
        review = latest(Review.objects.filter(case=case).select_related("plan"))
        if review is None or review.conclusion != Review.Conclusion.NEW_PLAN:
            return None
        return PlanSituation(AFTER_REVIEW, source=review.plan, review=review)
    if state in transitions.PLAN_IN_FORCE_STATES:
        in_force = plans.filter(status=Status.APPROVED).order_by("-version").first()
        if in_force is None:
            return None
        pending = (
            plans.filter(version__gt=in_force.version, status__in=(Status.DRAFT, Status.RETURNED))
            .order_by("-version")
            .first()
        )
        if pending is not None:
            return PlanSituation(REWORK, source=pending)
        return PlanSituation(REVISION, source=in_force)
    return None


# What the draft starts from ------------------------------------------------------
# Stored answers come from other template versions too: anything not in the
# expected shape is skipped rather than allowed to break the form.


def item_name(value) -> str:
    """A reference snapshot's name ({"id": …, "name": …}), or the value itself as text."""
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value or "")


def needs_text(assessment: Assessment | None) -> str:
    """The assessment's needs, one line each: domain, priority, note."""
    if assessment is None:
        return ""
    lines = []
    for item in step_items(assessment.answers, "needs"):
        if not isinstance(item, dict):
            continue
        domain = item_name(item.get("domain"))
        if not domain:
            continue
        line = domain
        priority = PRIORITY_LABELS.get(item.get("priority"))
        if priority:
            line = gettext("%(domain)s (priority: %(priority)s)") % {
                "domain": domain,
                "priority": priority,
            }
        note = str(item.get("note") or "").strip()
        lines.append(f"{line}: {note}" if note else line)
    return "\n".join(lines)


def review_reasons(review: Review | None) -> str:
    """What the review wrote beside its conclusion (every text but the choice itself)."""
    if review is None:
        return ""
    conclusion = step_answers(review.answers, "conclusion")
    texts = [
        value.strip()
        for name, value in conclusion.items()
        if name != "conclusion" and isinstance(value, str) and value.strip()
    ]
    return "\n".join(texts)


def goal_rows(plan: InterventionPlan | None) -> list[dict]:
    """The plan's goals as rows of the goals step."""
    if plan is None:
        return []
    rows = []
    for item in step_items(plan.answers, "goals"):
        text = item.get("text") if isinstance(item, dict) else item
        if isinstance(text, str) and text.strip():
            rows.append({"text": text})
    return rows


def partner_ids(item: dict) -> list[int]:
    """The ids of the partners a stored activity names."""
    partners = item.get("partners")
    if not isinstance(partners, list):
        return []
    return [p["id"] for p in partners if isinstance(p, dict) and isinstance(p.get("id"), int)]


def activity_rows(plan: InterventionPlan | None) -> list[dict]:
    """The plan's activities as rows of the activities step (partners by id)."""
    if plan is None:
        return []
    rows = []
    for item in step_items(plan.answers, "activities"):
        if not isinstance(item, dict):
            continue
        row = {name: str(item.get(name) or "") for name in ActivitiesForm.columns}
        row["partners"] = partner_ids(item)
        rows.append(row)
    return rows


def need_names(assessment: Assessment | None) -> list[str]:
    """The domains of need an assessment found, each once, in its order."""
    names = []
    for item in step_items(assessment.answers if assessment else {}, "needs"):
        name = item_name(item.get("domain")) if isinstance(item, dict) else ""
        if name and name not in names:
            names.append(name)
    return names


def source_partner_ids(situation: PlanSituation | None) -> list[int]:
    """The partners the plan drafted from names: kept choosable even if since retired."""
    keep = set()
    if situation is not None and situation.source is not None:
        for item in step_items(situation.source.answers, "activities"):
            if isinstance(item, dict):
                keep.update(partner_ids(item))
    return sorted(keep)


def draft_prefill(situation: PlanSituation | None) -> dict[str, dict]:
    """The steps' first input, by step: what the situation's earlier record says.

    A first plan starts from the assessment's needs; any other from the plan it
    reworks, revises or follows, with the review's reasons added after a review.
    """
    if situation is None:
        return {}
    source = situation.source
    if situation.purpose == FIRST:
        return {"problems": {"text": needs_text(situation.assessment)}}
    problems = str(step_answers(source.answers, "problems").get("text") or "")
    if situation.purpose == AFTER_REVIEW:
        reasons = review_reasons(situation.review)
        if reasons:
            problems = "\n".join(
                part for part in (problems, gettext("Review conclusion: %s") % reasons) if part
            )
    prefill = {"problems": {"text": problems}}
    goals, activities = goal_rows(source), activity_rows(source)
    if goals:
        prefill["goals"] = {"items": goals}
    if activities:
        prefill["activities"] = {"items": activities}
    # A new plan after a review has a period of its own still to be set.
    if situation.purpose in (REWORK, REVISION):
        prefill["period"] = {
            "period_start": source.period_start,
            "period_end": source.period_end,
            "review_date": source.review_date,
        }
    return prefill


def purpose_text(situation: PlanSituation | None) -> str:
    """One sentence saying which plan this is, shown above the first and last steps."""
    if situation is None:
        return ""
    if situation.purpose == FIRST:
        return gettext("First plan, following the assessment of %(date)s.") % {
            "date": as_text(timezone.localdate(situation.assessment.created_at))
        }
    if situation.purpose == AFTER_REVIEW:
        return gettext(
            "New plan after the review of %(date)s, which concluded that a new plan is needed."
        ) % {"date": as_text(timezone.localdate(situation.review.created_at))}
    version = situation.source.version
    if situation.purpose == REVISION:
        return gettext(
            "New version of the approved plan (version %(version)s). The approved plan "
            "stays in force until the principal approves this one."
        ) % {"version": version}
    if situation.source.status == Status.RETURNED:
        return gettext(
            "Correcting version %(version)s of the plan, which the principal returned."
        ) % {"version": version}
    return gettext("Completing version %(version)s of the plan, not yet sent.") % {
        "version": version
    }
