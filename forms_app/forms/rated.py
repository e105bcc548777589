"""What Mẫu 02 (assessment) and Mẫu 04 (review) share.

Mẫu 04 rates the learner on the same two tables as Mẫu 02, so that the change
since the assessment shows side by side, and both may conclude in a referral
asking the same questions. The rows of the tables are the criteria an
administrator keeps in the admin (``RatingCriterion``), read each time a form
is built: a criterion added while a draft is open appears as a new row to
rate, and one withdrawn simply leaves the table; neither breaks the draft.

Also here: the learner's facts as both templates show them (read-only, from the
case), and the date check both templates' first step makes.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.cases.consent import (
    GUARDIAN_CONSENT_CHOICES,
    LEARNER_CONSENT_CHOICES,
    ReferralConsentMixin,
    guardian_consent_field,
    learner_consent_field,
)
from forms_app.forms import DateInput, StepForm
from forms_app.models import Case, Gender, RatingCriterion, ReceivingBody
from forms_app.printing.sections import Row, Table, as_text, choice_text, snapshot, unknown_text

HIGH, MEDIUM, LOW = "high", "medium", "low"
# Cao / Trung bình / Thấp, the scale of every rated row of Mẫu 02 and Mẫu 04.
LEVEL_CHOICES = [(HIGH, _("High")), (MEDIUM, _("Medium")), (LOW, _("Low"))]

# The value by which both Assessment.Conclusion and Review.Conclusion name a referral.
REFERRAL = "referral"


def level_text(value: str | None) -> str:
    """A stored level as its label ("" when none was given)."""
    return choice_text(LEVEL_CHOICES, value) if value else ""


def level_counts(levels: Iterable[str | None]) -> list[tuple[str, int]]:
    """How many rows have each level, high first; the total under a rated table."""
    counted = Counter(levels)
    return [(str(label), counted.get(value, 0)) for value, label in LEVEL_CHOICES]


def counts_text(levels: Iterable[str | None]) -> str:
    """The counts per level in words, e.g. "Cao: 1; Trung bình: 2; Thấp: 0"."""
    return "; ".join(f"{label}: {count}" for label, count in level_counts(levels))


# The learner, as both templates show them ------------------------------------------


def learner_facts(case: Case) -> list[tuple[str, str]]:
    """Name, class, date of birth or age, gender: read from the case, never asked again.

    A fact not known at intake reads "Not known", as the template asks.
    """
    if case.learner_birth_date:
        birth = gettext("%(date)s (%(age)s years old)") % {
            "date": as_text(case.learner_birth_date),
            "age": _age_on(case.learner_birth_date, timezone.localdate()),
        }
    elif case.learner_age_estimate is not None:
        birth = gettext("About %(age)s years old") % {"age": case.learner_age_estimate}
    else:
        birth = unknown_text()
    gender = (
        unknown_text()
        if case.learner_gender in ("", Gender.UNKNOWN)
        else choice_text(Gender.choices, case.learner_gender)
    )
    return [
        (gettext("Full name"), as_text(case.learner_name, person_fact=True)),
        (gettext("Class"), as_text(case.learner_class, person_fact=True)),
        (gettext("Date of birth or age"), birth),
        (gettext("Gender"), gender),
    ]


def _age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# The date of a record -----------------------------------------------------------


def record_date_field(label) -> forms.DateField:
    """The date a record is made: today unless changed, checked by :func:`check_record_date`."""
    return forms.DateField(label=label, initial=timezone.localdate, widget=DateInput)


def check_record_date(date: datetime.date | None, case: Case | None) -> datetime.date | None:
    """Refuse a date in the future or before the information about the case came in."""
    if date is None:
        return date
    if date > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."), code="future")
    if case is not None:
        received = timezone.localtime(case.received_at).date()
        if date < received:
            raise forms.ValidationError(
                _("The date cannot be before the information was received (%(date)s)."),
                code="before_intake",
                params={"date": as_text(received)},
            )
    return date


# Rated tables ------------------------------------------------------------------------


@dataclass
class RatedRow:
    """One criterion of a rated table as the step template shows it."""

    criterion: RatingCriterion
    level: forms.BoundField
    note: forms.BoundField
    # The level given at the assessment, in words; None when the table has no such column.
    previous: str | None = None


class RatedTableForm(StepForm):
    """A table of criteria, each rated high / medium / low with a note (Mẫu 02 §2–3, Mẫu 04 §3).

    One pair of fields per active criterion of ``table``: ``level_<id>`` (required)
    and ``note_<id>``. Given ``previous`` (criterion id → level at the
    assessment), the table shows that level beside each row, read-only.
    """

    table = ""
    step_template = "forms_app/steps/rated_table.html"

    def __init__(self, *args, previous: Mapping[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous
        self.criteria = list(RatingCriterion.objects.filter(table=self.table, active=True))
        for criterion in self.criteria:
            self.fields[self.level_name(criterion)] = forms.ChoiceField(
                label=criterion.name,
                choices=LEVEL_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level: high, medium or low.")},
            )
            self.fields[self.note_name(criterion)] = forms.CharField(
                label=gettext("Note on “%(criterion)s”") % {"criterion": criterion.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def level_name(criterion: RatingCriterion) -> str:
        return f"level_{criterion.pk}"

    @staticmethod
    def note_name(criterion: RatingCriterion) -> str:
        return f"note_{criterion.pk}"

    @property
    def has_previous(self) -> bool:
        return self.previous is not None

    def get_fieldsets(self) -> list:
        # Every field is a cell of the table the step template draws.
        return []

    def rows(self) -> list[RatedRow]:
        return [
            RatedRow(
                criterion=criterion,
                level=self[self.level_name(criterion)],
                note=self[self.note_name(criterion)],
                previous=(
                    level_text(self.previous.get(criterion.pk)) or "—"
                    if self.previous is not None
                    else None
                ),
            )
            for criterion in self.criteria
        ]

    def counts(self) -> list[tuple[str, int]]:
        """The counts per level of what is on the form now, valid or not, for the total row."""
        return level_counts(self[self.level_name(c)].value() for c in self.criteria)

    def totals(self) -> list[tuple[str, str, int]]:
        """``counts`` with each level's value, which rated-totals.js counts again in the browser."""
        values = [value for value, _label in LEVEL_CHOICES]
        counts = self.counts()
        return [(value, label, count) for value, (label, count) in zip(values, counts, strict=True)]

    def previous_counts(self) -> list[tuple[str, int]]:
        previous = self.previous or {}
        return level_counts(previous.get(c.pk) for c in self.criteria)

    def items(self) -> list[dict]:
        """The rated rows as stored in ``answers[<step>]["items"]`` (after validation)."""
        items = []
        for criterion in self.criteria:
            item = {
                "criterion": snapshot(criterion),
                "level": self.cleaned_data[self.level_name(criterion)],
                "note": self.cleaned_data[self.note_name(criterion)],
            }
            if self.previous is not None:
                item["at_assessment"] = self.previous.get(criterion.pk, "")
            items.append(item)
        return items


class HarmForm(RatedTableForm):
    """Mức độ tổn hại: how badly the learner is harmed, and how exposed they still are."""

    title = _("Level of harm")
    table = RatingCriterion.Table.HARM


class ResilienceForm(RatedTableForm):
    """Khả năng tự bảo vệ, phục hồi: what protects the learner and helps them recover."""

    title = _("Self-protection and recovery")
    table = RatingCriterion.Table.RESILIENCE


def levels_by_criterion(items: Iterable[dict]) -> dict[int, str]:
    """Stored rated items as criterion id → level, to show them beside a new rating."""
    levels = {}
    for item in items:
        criterion = item.get("criterion") or {}
        if criterion.get("id") is not None and item.get("level"):
            levels[criterion["id"]] = item["level"]
    return levels


def describe_rated_table(caption: str, items: list[dict], *, with_previous: bool = False) -> Table:
    """A stored rated table for the print layout, with the counts per level as its total."""
    columns = [gettext("Criterion")]
    if with_previous:
        columns.append(gettext("At the assessment"))
    columns += [gettext("Level"), gettext("Note")]
    rows = []
    for item in items:
        row = [as_text(item.get("criterion"))]
        if with_previous:
            row.append(level_text(item.get("at_assessment")))
        row += [level_text(item.get("level")), item.get("note", "")]
        rows.append(row)
    footer = [gettext("Total")]
    if with_previous:
        footer.append(counts_text(item.get("at_assessment") for item in items))
    footer += [counts_text(item.get("level") for item in items), ""]
    return Table(caption=caption, columns=columns, rows=rows, footer=footer)


# Conclusion and referral ---------------------------------------------------------------


def conclusion_field(choices, help_text) -> forms.ChoiceField:
    """The conclusion of Mẫu 02 or 04 as radio buttons, among its record's choices."""
    return forms.ChoiceField(
        label=_("Conclusion"), choices=choices, widget=forms.RadioSelect, help_text=help_text
    )


class ConclusionStepForm(StepForm):
    """The conclusion step of Mẫu 02 and 04: what follows, and why.

    Subclasses declare ``conclusion`` (:func:`conclusion_field`) with their
    template's choices; a choice whose value is :data:`REFERRAL` adds the
    referral step.
    """

    title = _("Conclusion and proposal")
    field_order = ["conclusion", "reasons"]

    reasons = forms.CharField(
        label=_("Reasons and proposal"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ReferralForm(ReferralConsentMixin, StepForm):
    """The referral outside the school, shown only when the conclusion is to refer.

    Sharing a child's information needs the learner's consent (from age 7) and the
    parent's or guardian's; the answers start as Mẫu 01 recorded them. Without
    them sharing is allowed only when the child is in danger, and then the reason
    is written down: the step asks for it then, and only then keeps it
    (``ReferralConsentMixin``).
    """

    title = _("Referral outside the school")

    receiving_body = forms.ModelChoiceField(
        label=_("Receiving body"),
        queryset=ReceivingBody.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_(
            "The school calls 111 for guidance or sends an official letter within 12 working "
            "hours of receiving the information."
        ),
    )
    learner_consent = learner_consent_field()
    guardian_consent = guardian_consent_field(required=True)
    danger_exception = forms.CharField(
        label=_("Why the information is shared without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Needed only without consent: sharing is then allowed only when the child is "
            "in danger. Describe the danger."
        ),
    )

    def __init__(self, *args, school=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The bodies every school may refer to, and this school's own.
        field = self.fields["receiving_body"]
        field.queryset = ReceivingBody.objects.filter(active=True).filter(
            Q(school__isnull=True) | Q(school=school)
        )
        field.label_from_instance = _body_label
        self.init_consent(case)

    def clean(self) -> dict:
        cleaned = self.clean_consent(super().clean())
        # ``refer_from_step`` and the stored answers read the outcome as "consent".
        if "consent_given" in cleaned:
            cleaned["consent"] = cleaned["consent_given"]
        return cleaned

    def answers(self) -> dict:
        """The step as stored in the record's answers (the Referral row holds it too)."""
        return {
            "receiving_body": snapshot(self.cleaned_data["receiving_body"]),
            "learner_consent": self.cleaned_data["learner_consent"],
            "guardian_consent": self.cleaned_data["guardian_consent"],
            "consent": self.cleaned_data["consent"],
            "danger_exception": self.cleaned_data["danger_exception"].strip(),
        }


def _body_label(body: ReceivingBody) -> str:
    return f"{body.name} ({body.phone})" if body.phone else body.name


def describe_referral(stored: dict) -> list[Row]:
    """The referral step's answers as rows of the conclusion section.

    Records made before the two consent questions have only the overall "consent".
    """
    labels = ReferralForm.base_fields
    rows = [Row(str(labels["receiving_body"].label), as_text(stored.get("receiving_body")))]
    for name, choices in (
        ("learner_consent", LEARNER_CONSENT_CHOICES),
        ("guardian_consent", GUARDIAN_CONSENT_CHOICES),
    ):
        if stored.get(name):
            rows.append(Row(str(labels[name].label), choice_text(choices, stored[name])))
    rows.append(Row(str(_("Consent to share was given")), as_text(stored.get("consent"))))
    if stored.get("consent") is False:
        rows.append(Row(str(labels["danger_exception"].label), stored.get("danger_exception", "")))
    return rows


__all__ = [
    "HIGH",
    "LEVEL_CHOICES",
    "LOW",
    "MEDIUM",
    "REFERRAL",
    "ConclusionStepForm",
    "HarmForm",
    "RatedRow",
    "RatedTableForm",
    "ReferralForm",
    "ResilienceForm",
    "check_record_date",
    "conclusion_field",
    "counts_text",
    "describe_rated_table",
    "describe_referral",
    "learner_facts",
    "level_counts",
    "level_text",
    "levels_by_criterion",
    "record_date_field",
]
