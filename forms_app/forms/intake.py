"""The steps of Mẫu 01 — Báo cáo tiếp nhận thông tin (intake report).

Every fact about a person may be unknown at intake (case-templates.md): the
learner, family and informant fields are all optional, so a report is never
refused because a detail is missing. Only what the procedure cannot do without
is required: how and when the information came (it starts the 12-working-hour
clock), whether the informant agreed to be recorded, and the first view of urgency
and referral.
"""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.cases.consent import (
    age_from,
    check_learner_answer,
    guardian_consent_field,
    learner_consent_field,
)
from forms_app.forms import DateInput, StepForm, TimeInput, yes_no_field
from forms_app.models import Gender, IntakeReport, IssueCategory
from learners.models import Learner

CHANNEL_CHOICES = [
    ("phone", _("By telephone")),
    ("in_person", _("In person")),
    ("reported_by_other", _("Reported by someone else")),
    ("mailbox", _("Suggestion box")),
    ("online", _("Online form")),
    ("email", _("By e-mail")),
]


def _text(label, max_length: int = 255, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def _long_text(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}), **kwargs
    )


def _age(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=120)


def clean_received_at(form: forms.Form, cleaned: dict) -> dict:
    """The one rule for when information was received, for Mẫu 01 and for a call or
    visit logged in the triage queue: ``received_date`` and ``received_time`` make
    ``cleaned["received_at"]``, never in the future."""
    date, time = cleaned.get("received_date"), cleaned.get("received_time")
    if date and time:
        received_at = timezone.make_aware(datetime.datetime.combine(date, time))
        # A minute's grace for a clock set a little ahead of the server's.
        if received_at > timezone.now() + datetime.timedelta(minutes=1):
            form.add_error(
                "received_date",
                forms.ValidationError(
                    _("The information cannot have been received in the future."),
                    code="future",
                ),
            )
        else:
            cleaned["received_at"] = received_at
    return cleaned


class SourceForm(StepForm):
    """1. Nguồn tiếp nhận thông tin: how and when the information came, and for which school."""

    title = _("How the information was received")

    channel = forms.ChoiceField(
        label=_("How was the information received?"),
        choices=CHANNEL_CHOICES,
        widget=forms.RadioSelect,
    )
    received_date = forms.DateField(label=_("Date received"), widget=DateInput)
    received_time = forms.TimeField(
        label=_("Time received"),
        widget=TimeInput,
        help_text=_("This moment starts the 12-working-hour referral deadline."),
    )
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The choice is only asked of someone who works on cases at several schools.
        if schools is None or schools.count() < 2:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = schools

    def clean(self) -> dict:
        return clean_received_at(self, super().clean())


NONE_OF_THESE = "none"


def roll_choice_label(learner: Learner) -> str:
    """A learner offered from the school's list: name, class and date of birth."""
    parts = [learner.full_name]
    if learner.class_name:
        parts.append(_("class %(class)s") % {"class": learner.class_name})
    if learner.birth_date:
        parts.append(_("born %(date)s") % {"date": learner.birth_date.strftime("%d/%m/%Y")})
    return " · ".join(str(part) for part in parts)


class LearnerForm(StepForm):
    """2. Thông tin người học; every field may be left empty when it is not known."""

    title = _("The learner")

    name = _text(_("Full name"))
    # Offered only when the name typed is that of learners on the school's list.
    roll_learner = forms.ChoiceField(
        label=_("Is it one of these learners of the school?"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Learners on the school's list have this name. Choosing one fills in the "
            "class, date of birth and gender left empty."
        ),
        error_messages={
            "invalid_choice": _(
                "The name was changed: choose again among the learners with this name."
            )
        },
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    age_estimate = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("If the date of birth is not known."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=Gender.choices,
        required=False,
        initial=Gender.UNKNOWN,
        widget=forms.RadioSelect,
    )
    learner_class = _text(_("Class"), max_length=32)
    place = _text(_("Where it happened"))
    current_condition = _long_text(_("The learner's current condition"))
    likely_consequences = _long_text(_("Likely consequences without support or intervention"))
    categories = forms.ModelMultipleChoiceField(
        label=_("Kind of issue"),
        queryset=IssueCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    learner_consent = learner_consent_field()

    def __init__(self, *args, roll: QuerySet[Learner] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per form, so a category an administrator adds is offered at once.
        self.fields["categories"].queryset = IssueCategory.objects.filter(active=True)
        self.offer_roll(roll)

    def offer_roll(self, roll: QuerySet[Learner] | None) -> None:
        """Offer the learners of ``roll`` (the school's list) whose name is exactly the one
        typed, any case, with or without diacritics; drop the question when none is.

        Found through the keyed name index, so only a whole name matches. Works
        without script: the name is posted, and the step comes back with the choice.
        """
        self.roll_matches: dict[str, Learner] = {}
        self.roll_filled: dict[str, str] = {}
        name = str(self["name"].value() or "").strip()
        if roll is not None and name:
            found = roll.filter(Learner.named(name), on_roll=True).order_by("class_name", "pk")
            self.roll_matches = {str(learner.pk): learner for learner in found[:20]}
        if not self.roll_matches:
            del self.fields["roll_learner"]
            return
        self.fields["roll_learner"].choices = [
            (pk, roll_choice_label(learner)) for pk, learner in self.roll_matches.items()
        ] + [(NONE_OF_THESE, _("None of these: the learner is not on the list"))]

    def fill_from_roll(self, cleaned: dict) -> None:
        """Ask for a choice among the learners offered; the one chosen becomes
        ``cleaned["roll_learner"]`` and fills in the class, date of birth and gender
        left empty (kept in ``roll_filled`` as the step's input, so going back shows them).
        """
        if "roll_learner" not in self.fields or "roll_learner" in self.errors:
            return
        choice = cleaned.get("roll_learner")
        if not choice:
            self.add_error(
                "roll_learner",
                forms.ValidationError(
                    _(
                        "Learners of the school have this name: choose the one this is "
                        "about, or “None of these”."
                    ),
                    code="choose",
                ),
            )
            return
        learner = self.roll_matches.get(choice)
        cleaned["roll_learner"] = learner
        if learner is None:
            return
        if not cleaned.get("birth_date") and learner.birth_date and "birth_date" not in self.errors:
            cleaned["birth_date"] = learner.birth_date
            self.roll_filled["birth_date"] = learner.birth_date.isoformat()
        if not cleaned.get("learner_class") and learner.class_name:
            cleaned["learner_class"] = learner.class_name
            self.roll_filled["learner_class"] = learner.class_name
        if cleaned.get("gender") in ("", Gender.UNKNOWN) and learner.gender in (
            Gender.MALE,
            Gender.FEMALE,
        ):
            cleaned["gender"] = learner.gender
            self.roll_filled["gender"] = learner.gender

    def clean_birth_date(self) -> datetime.date | None:
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError(
                _("The date of birth cannot be in the future."), code="future"
            )
        return birth_date

    def clean_gender(self) -> str:
        return self.cleaned_data.get("gender") or Gender.UNKNOWN

    def clean(self) -> dict:
        """From age 7 the learner's own consent to share must be answered, when the age is known."""
        cleaned = super().clean()
        self.fill_from_roll(cleaned)
        if "birth_date" in self.errors or "age_estimate" in self.errors:
            return cleaned
        age = age_from(cleaned.get("birth_date"), cleaned.get("age_estimate"))
        error = check_learner_answer(cleaned.get("learner_consent") or "", age)
        if error is not None:
            self.add_error("learner_consent", error)
        return cleaned


class FamilyForm(StepForm):
    """3. Gia đình: father, mother, the family's situation and who looks after the learner."""

    title = _("Family")
    fieldsets = [
        (_("Father"), ["father_name", "father_age", "father_occupation"]),
        (_("Mother"), ["mother_name", "mother_age", "mother_occupation"]),
        (None, ["situation", "carer", "guardian_consent"]),
    ]

    father_name = _text(_("Father's full name"))
    father_age = _age(_("Father's age"))
    father_occupation = _text(_("Father's occupation"))
    mother_name = _text(_("Mother's full name"))
    mother_age = _age(_("Mother's age"))
    mother_occupation = _text(_("Mother's occupation"))
    situation = _long_text(_("Family situation"))
    carer = _text(_("Who currently looks after the learner (if known)"))
    # Optional like every family fact at intake; a referral without it needs the
    # documented danger exception.
    guardian_consent = guardian_consent_field()


class SupportSoFarForm(StepForm):
    """4. Hỗ trợ đã thực hiện: what was done for the learner before this report."""

    title = _("Support given so far")

    support_so_far = _long_text(_("Support already given to the learner before this report"))


class InformantConsentForm(StepForm):
    """The question that decides whether step 5 (the informant's details) is shown at all."""

    title = _("Informant's consent")

    consent = yes_no_field(
        _("Does the person who gave the information agree to give their details?"),
        help_text=_("If not, nothing about them is recorded."),
    )


class InformantForm(StepForm):
    """5. Người cung cấp thông tin: shown, and stored, only with their consent."""

    title = _("Informant")

    name = _text(_("Informant's full name"))
    phone = _text(_("Informant's phone number"), max_length=32)
    address = _text(_("Informant's address"))
    relation = _text(_("Relation to the learner"))


class FirstAssessmentForm(StepForm):
    """6–7. Đánh giá ban đầu and further notes."""

    title = _("First assessment")

    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=IntakeReport.Urgency.choices, widget=forms.RadioSelect
    )
    needs = _long_text(_("First view of the learner's need for support"))
    referral_suggested = yes_no_field(_("Does referral outside the school look necessary?"))
    notes = _long_text(_("Further notes"))


__all__ = [
    "CHANNEL_CHOICES",
    "FamilyForm",
    "FirstAssessmentForm",
    "InformantConsentForm",
    "InformantForm",
    "LearnerForm",
    "SourceForm",
    "SupportSoFarForm",
]
