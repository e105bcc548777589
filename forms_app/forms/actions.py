"""Forms of the actions that move a case outside the wizards.

They only collect what the principal or the case worker says; whether the move
is allowed is decided by :mod:`forms_app.cases.transitions`, whose refusals the views
attach to these forms' fields, so a refused form comes back with its input kept.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forms_app.cases.consent import (
    ReferralConsentMixin,
    guardian_consent_field,
    learner_consent_field,
)
from forms_app.models import Case, ReceivingBody

APPROVE, RETURN = "approve", "return"


def _note(label, *, required: bool = False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PlanDecisionForm(forms.Form):
    """The principal's decision on a submitted plan (Mẫu 03): approve or return, with a comment.

    The decision comes from the button pressed. A comment is optional to
    approve and required to return; the requirement is enforced by
    ``transitions.return_plan``, whose message the view puts on the comment field.
    """

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return"))],
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose whether to approve or return the plan.")},
    )
    comment = _note(
        _("Principal's comment"),
        help_text=_("Required when returning the plan: say what needs to change."),
    )


class StartPlanForm(forms.Form):
    """Start carrying out the approved plan; the note goes into the case's timeline."""

    note = _note(_("Note"), help_text=_("Optional: anything the timeline should say."))


class ReferralForm(ReferralConsentMixin, forms.Form):
    """Refer a case from intake to a body outside the school.

    Only bodies offered to every school or added by the case's own school are
    listed. The consent answers start as Mẫu 01 recorded them; without the
    learner's (from age 7) and the guardian's consent the form asks for the
    documented danger exception (``ReferralConsentMixin``), and
    ``transitions.refer_case`` checks it again.
    """

    receiving_body = forms.ModelChoiceField(
        label=_("Receiving body"),
        queryset=ReceivingBody.objects.none(),
        empty_label=_("Choose the receiving body"),
    )
    learner_consent = learner_consent_field()
    guardian_consent = guardian_consent_field(required=True)
    danger_exception = _note(
        _("Why the information is shared without consent"),
        help_text=_(
            "Only when the child is in danger: write down why sharing the information "
            "without consent protects the child. Required when consent is missing."
        ),
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_body"].queryset = ReceivingBody.objects.filter(
            Q(school__isnull=True) | Q(school_id=case.school_id), active=True
        ).order_by("sort_order", "name")
        self.init_consent(case)

    def clean(self) -> dict:
        return self.clean_consent(super().clean())


class ReferralSentForm(forms.Form):
    """Confirm that the official letter went out or 111 was called.

    Nothing to fill in: the form exists for its CSRF token and its confirmation.
    """


class CloseCaseForm(forms.Form):
    """The principal closes the case; the reason is kept in the case's timeline."""

    note = _note(
        _("Reason for closing"),
        required=True,
        help_text=_("For example: the review found no remaining harm or risk."),
    )


__all__ = [
    "APPROVE",
    "RETURN",
    "CloseCaseForm",
    "PlanDecisionForm",
    "ReferralForm",
    "ReferralSentForm",
    "StartPlanForm",
]
