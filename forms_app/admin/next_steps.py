"""The next steps a case page offers its reader, in the order of the procedure.

Only steps the reader may take now are offered: :mod:`forms_app.cases.policy`
answers, as it answers the screens and the transitions, which check again.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext

from forms_app.cases import policy
from forms_app.models import Case, CaseState, InterventionPlan, Referral, Review, TemplateCode
from forms_app.wizards import WIZARDS, CaseRecordWizard


@dataclass(frozen=True)
class Action:
    """A next step offered on the case page: a label and where it is taken."""

    label: str
    url: str


def case_actions(user, case: Case) -> list[Action]:
    """What ``user`` can do next on ``case``, in the order of the procedure.

    Only actions they may take now are listed; each screen checks again.
    """
    actions: list[Action] = []
    for wizard in WIZARDS.values():
        if not issubclass(wizard, CaseRecordWizard):
            continue
        if not wizard.can_start(user, case.school, case):
            continue
        url = reverse(wizard.start_url_name())
        label = gettext("Fill in %(template)s") % {
            "template": TemplateCode(wizard.template_code).label
        }
        actions.append(Action(label, f"{url}?case={case.pk}"))

    for plan in InterventionPlan.objects.filter(
        case=case, status=InterventionPlan.Status.SUBMITTED
    ):
        plan.case = case
        url = reverse("forms_app:plan_decide", args=[plan.pk])
        if policy.DECIDE.allows(user, plan):
            label = gettext("Decide on the plan (version %(version)s)") % {"version": plan.version}
            actions.append(Action(label, url))

    checks = [
        (policy.START_PLAN, "forms_app:case_start", gettext("Start carrying out the plan")),
        (policy.REFER, "forms_app:case_refer", gettext("Refer outside the school")),
    ]
    for action, name, label in checks:
        url = reverse(name, args=[case.pk])
        if action.allows(user, case):
            actions.append(Action(label, url))

    for referral in Referral.objects.filter(case=case, sent_at__isnull=True).select_related(
        "receiving_body"
    ):
        referral.case = case
        url = reverse("forms_app:referral_sent", args=[referral.pk])
        if policy.REFERRAL_SENT.allows(user, referral):
            label = gettext("Mark the referral to %(body)s as sent") % {
                "body": referral.receiving_body.name
            }
            actions.append(Action(label, url))

    url = reverse("forms_app:case_close", args=[case.pk])
    if policy.CLOSE.allows(user, case):
        actions.append(Action(gettext("Close the case"), url))
    return actions


def waiting_note(user, case: Case) -> str:
    """Whose decision the case waits for, when it is not the reader's alone; "" otherwise.

    Said above the buttons, so that a worker who proposed closing (Mẫu 04) or
    sent a plan sees why nothing is offered to them, and a principal sees what
    is asked of them.
    """
    if case.state == CaseState.REVIEWED:
        review = policy.latest_review(case)
        if review is not None and review.conclusion == Review.Conclusion.CLOSE:
            return gettext(
                "The review proposes closing the case. It waits for the principal, who decides."
            )
    if (
        case.state != CaseState.CLOSED
        and InterventionPlan.objects.filter(
            case=case, status=InterventionPlan.Status.SUBMITTED
        ).exists()
    ):
        return gettext("A plan waits for the principal's decision.")
    return ""
