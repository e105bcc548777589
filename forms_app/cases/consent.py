"""Consent to share a learner's information: what is asked, from what age, and when it suffices.

Vietnamese law asks for the child's own consent, in addition to the parent's or
guardian's, before a child's information is processed or shared once the child is
7 or older (Luật Trẻ em 2016, art. 33; Nghị định 13/2023/NĐ-CP, art. 20). Mẫu 01
records both answers; a referral without them is allowed only when the child is
in danger, and then the reason is written down (the documented exception).

The answers are not yes/no: "not asked" has reasons the record must keep (too
young, the guardian being the suspected source of harm, a guardian not reached
yet), because they decide whether sharing without consent was justified.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# From this age the learner's own consent is needed besides the guardian's.
CONSENT_AGE = 7

YES, NO = "yes", "no"
TOO_YOUNG, NOT_YET_ASKED = "too_young", "not_yet_asked"
GUARDIAN_SUSPECTED, NOT_REACHABLE = "guardian_suspected", "not_reachable"

LEARNER_CONSENT_CHOICES = [
    (YES, _("Yes, the learner agreed")),
    (NO, _("No, the learner did not agree")),
    (TOO_YOUNG, _("Not asked: the learner is too young (under 7)")),
    (NOT_YET_ASKED, _("Not asked yet")),
]
GUARDIAN_CONSENT_CHOICES = [
    (YES, _("Yes, the parent or guardian agreed")),
    (NO, _("No, the parent or guardian did not agree")),
    (GUARDIAN_SUSPECTED, _("Not asked: the parent or guardian is the suspected source of harm")),
    (NOT_REACHABLE, _("Not asked: the parent or guardian cannot be reached yet")),
]

LEARNER_CONSENT_HELP = _(
    "From the age of 7 the learner's own consent is needed besides the parent's or "
    "guardian's (Luật Trẻ em 2016, art. 33; Nghị định 13/2023/NĐ-CP, art. 20)."
)


def learner_consent_field(**kwargs) -> forms.ChoiceField:
    """The learner's consent to share, as radio buttons; required or not by the form's clean."""
    return forms.ChoiceField(
        label=_("Did the learner agree to their information being shared?"),
        choices=LEARNER_CONSENT_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=LEARNER_CONSENT_HELP,
        **kwargs,
    )


def guardian_consent_field(**kwargs) -> forms.ChoiceField:
    """The parent's or guardian's consent to share, as radio buttons."""
    kwargs.setdefault("required", False)
    return forms.ChoiceField(
        label=_("Did the parent or guardian agree to the learner's information being shared?"),
        choices=GUARDIAN_CONSENT_CHOICES,
        widget=forms.RadioSelect,
        **kwargs,
    )


def age_from(
    birth_date: datetime.date | None,
    age_estimate: int | None,
    *,
    on: datetime.date | None = None,
    estimated_on: datetime.date | None = None,
) -> int | None:
    """The learner's age in whole years on ``on`` (today), or None when nothing is known.

    The date of birth wins; an estimate given on ``estimated_on`` grows by the whole
    years since, so a learner estimated at 6 is counted 7 a year later.
    """
    on = on or timezone.localdate()
    if birth_date is not None:
        before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
        return on.year - birth_date.year - before_birthday
    if age_estimate is None:
        return None
    if estimated_on is None or estimated_on >= on:
        return age_estimate
    return age_estimate + age_from(estimated_on, None, on=on)


def case_age(case) -> int | None:
    """The case's learner's age today, from the date of birth or the estimate at intake."""
    received = timezone.localdate(case.received_at) if case.received_at else None
    return age_from(case.learner_birth_date, case.learner_age_estimate, estimated_on=received)


def learner_consent_required(age: int | None) -> bool:
    """Whether the learner's own consent must be asked: from 7, when the age is known."""
    return age is not None and age >= CONSENT_AGE


def check_learner_answer(answer: str, age: int | None) -> forms.ValidationError | None:
    """The error of a learner consent answer that the learner's age does not allow."""
    if not learner_consent_required(age):
        return None
    if not answer:
        return forms.ValidationError(
            _(
                "The learner is %(age)s years old: from 7 their own consent is needed. "
                "Say whether they agreed, or that they have not been asked yet."
            ),
            code="learner_consent_required",
            params={"age": age},
        )
    if answer == TOO_YOUNG:
        return forms.ValidationError(
            _("The learner is %(age)s years old, not under 7: their own consent is needed."),
            code="learner_not_too_young",
            params={"age": age},
        )
    return None


def consent_complete(learner: str, guardian: str, age: int | None) -> bool:
    """Whether everyone whose consent is needed agreed to share.

    The guardian must have agreed; the learner too, unless they are known to be
    under 7 (or, with no age known, were judged too young to be asked).
    """
    if guardian != YES:
        return False
    if learner == YES:
        return True
    if age is None:
        return learner == TOO_YOUNG
    return not learner_consent_required(age)


def intake_consent(case) -> dict[str, str]:
    """The consent answers recorded in the case's intake report (Mẫu 01), "" when absent."""
    from forms_app.models import IntakeReport

    report = IntakeReport.objects.filter(case=case).only("answers").first()
    answers = report.answers if report is not None and isinstance(report.answers, dict) else {}
    learner = answers.get("learner") if isinstance(answers.get("learner"), dict) else {}
    family = answers.get("family") if isinstance(answers.get("family"), dict) else {}
    return {
        "learner_consent": str(learner.get("learner_consent") or ""),
        "guardian_consent": str(family.get("guardian_consent") or ""),
    }


class ReferralConsentMixin:
    """The consent part of a referral form: both answers, and the exception when they fall short.

    The form declares ``learner_consent``, ``guardian_consent`` and
    ``danger_exception``; the answers start as the intake recorded them, and may
    be changed (consent is often obtained after the intake). ``clean`` puts
    ``consent_given`` into ``cleaned_data`` and asks for the documented danger
    when consent is not complete; with consent, no stale exception is kept.
    """

    case = None

    def init_consent(self, case) -> None:
        self.case = case
        self.age = case_age(case) if case is not None else None
        if case is None:
            return
        for name, value in intake_consent(case).items():
            if value and name not in self.initial:
                self.initial[name] = value

    def clean_consent(self, cleaned: dict) -> dict:
        learner = cleaned.get("learner_consent") or ""
        guardian = cleaned.get("guardian_consent") or ""
        error = check_learner_answer(learner, self.age)
        if error is not None:
            self.add_error("learner_consent", error)
            return cleaned
        if "guardian_consent" in self.errors:
            return cleaned
        cleaned["consent_given"] = consent_complete(learner, guardian, self.age)
        exception = (cleaned.get("danger_exception") or "").strip()
        if cleaned["consent_given"]:
            cleaned["danger_exception"] = ""
        elif not exception:
            self.add_error(
                "danger_exception",
                forms.ValidationError(
                    _(
                        "Without the consent of the learner (from age 7) and of the parent or "
                        "guardian, the information can only be shared when the child is in "
                        "danger: write down why sharing it protects the child."
                    ),
                    code="exception_required",
                ),
            )
        else:
            cleaned["danger_exception"] = exception
        return cleaned


__all__ = [
    "CONSENT_AGE",
    "GUARDIAN_CONSENT_CHOICES",
    "LEARNER_CONSENT_CHOICES",
    "ReferralConsentMixin",
    "age_from",
    "case_age",
    "check_learner_answer",
    "consent_complete",
    "guardian_consent_field",
    "intake_consent",
    "learner_consent_field",
    "learner_consent_required",
]
