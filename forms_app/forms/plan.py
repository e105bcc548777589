"""The steps of Mẫu 03 — Kế hoạch can thiệp, trợ giúp người học (intervention / support plan).

Goals and activities are lists of rows. Each of those steps is one ``StepForm``
holding a Django formset (:class:`RowsStepForm`), so the wizard, the draft and
the answers treat it like any other step: its input is stored under the step's
prefix and its cleaned data is ``{"items": [...]}``, the shape the answers
convention names. Rows are added and removed by submit buttons, which work
without JavaScript (see ``PlanWizard.post``); ``rows.js`` only saves the round trip.
"""

import datetime

from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from forms_app.forms import DateInput, StepForm
from forms_app.models import ActivityPartner
from forms_app.printing.sections import as_text, snapshot

# Levels of priority of a need in Mẫu 02, as stored in its answers.
PRIORITY_LABELS = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}


def _text(label, max_length: int, *, rows: int = 0, **kwargs) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=widget, **kwargs
    )


class ProblemsForm(StepForm):
    """1. The learner (shown from the case) and the problems or needs the plan addresses."""

    title = _("Learner and needs")
    step_template = "forms_app/steps/plan_problems.html"

    text = forms.CharField(
        label=_("Problems and needs the plan addresses"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Prefilled from the assessment (Mẫu 02) or from the plan being changed; "
            "edit as needed, one problem or need per line."
        ),
        error_messages={"required": _("Say which problems or needs the plan addresses.")},
    )


# Rows ---------------------------------------------------------------------------


class RowForm(forms.Form):
    """One row of a list step; a row left entirely blank is not an answer and is ignored."""

    def is_blank(self) -> bool:
        """Whether nothing was typed or ticked in this row (valid rows only)."""
        data = getattr(self, "cleaned_data", None) or {}
        return not any(value for name, value in data.items() if name != "DELETE")

    def to_item(self) -> dict:
        """The row as stored in the answers; override for fields that are not plain text."""
        return {name: self.cleaned_data.get(name, "") for name in self.fields if name != "DELETE"}


class GoalRowForm(RowForm):
    text = _text(_("Goal"), 1000, rows=2)


class ActivityRowForm(RowForm):
    """A row of the activities table: the seven columns of Mẫu 03, section 3."""

    need = _text(_("Need or problem"), 500)
    activity = _text(_("Activity or measure"), 1000, rows=2)
    responsible = _text(_("Person or unit responsible"), 255, rows=2)
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=ActivityPartner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    timing = _text(_("Timing"), 255, rows=2)
    resources = _text(_("Resources"), 500, rows=2)
    expected_result = _text(_("Expected result"), 1000, rows=2)

    def __init__(self, *args, keep_partner_ids=(), need_list_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Partners an administrator has since retired stay choosable on the plan
        # that already names them, so reworking it does not silently drop them.
        self.fields["partners"].queryset = ActivityPartner.objects.filter(
            Q(active=True) | Q(pk__in=list(keep_partner_ids))
        )
        if need_list_id:
            self.fields["need"].widget.attrs["list"] = need_list_id

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.is_blank() and not cleaned.get("activity"):
            self.add_error(
                "activity",
                forms.ValidationError(
                    _("Say what the activity or measure is, or remove the row."),
                    code="activity_required",
                ),
            )
        return cleaned

    def to_item(self) -> dict:
        item = super().to_item()
        item["partners"] = [snapshot(partner) for partner in self.cleaned_data["partners"]]
        return item


class RowsStepForm(StepForm):
    """A step whose answer is a list of rows kept in a formset, e.g. the plan's goals.

    The formset's prefix starts with the step's, so the wizard stores its input
    (management form included) as it stores any step's. ``cleaned_data["items"]``
    is the list of non-blank rows that were not removed. ``initial={"items": [...]}``
    prefills the rows when the step is first shown; once the step has input of its
    own, that input is the only truth, so a prefilled row never comes back after
    it was removed.
    """

    row_form_class: type[RowForm] = RowForm
    # Draws one row, for the step template (forms_app/steps/rows_step.html) and rows.js.
    row_template = ""
    max_rows = 30
    empty_message = _("Add at least one row.")
    # The add button's label, and how an error message names a row ("Goal 2: …").
    add_label = _("Add a row")
    row_label = _("Row %(number)s")

    def __init__(self, *args, row_kwargs: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_rows = list((self.initial or {}).get("items") or [])
        formset_class = formset_factory(
            self.row_form_class,
            extra=0 if initial_rows else 1,
            can_delete=True,
            max_num=self.max_rows,
            validate_max=True,
            absolute_max=self.max_rows,
        )
        self.formset = formset_class(
            data=self.data if self.is_bound else None,
            prefix=self.formset_prefix,
            initial=None if self.is_bound else initial_rows,
            form_kwargs=row_kwargs or {},
        )

    @property
    def formset_prefix(self) -> str:
        return self.add_prefix("items")

    @property
    def add_button_name(self) -> str:
        return self.add_prefix("add-row")

    @property
    def remove_button_name(self) -> str:
        return self.add_prefix("remove-row")

    @property
    def can_add(self) -> bool:
        return self.formset.total_form_count() < self.max_rows

    def row_is_removed(self, row: forms.Form) -> bool:
        """Whether the row was removed in the browser (``rows.js`` ticks its DELETE field)."""
        return bool(row.is_bound and row["DELETE"].data)

    @property
    def rows(self) -> list[dict]:
        """The rows to show, numbered as the user sees them (removed rows are left out)."""
        shown = [
            (index, row)
            for index, row in enumerate(self.formset.forms)
            if not self.row_is_removed(row)
        ]
        return [
            {"form": row, "index": index, "number": number}
            for number, (index, row) in enumerate(shown, start=1)
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.formset.is_valid():
            # Also listed in the error summary above the form, which names fields
            # of this form only: say which row each error is in.
            for error in self.formset.non_form_errors():
                self.add_error(None, error)
            for row in self.rows:
                for message in _row_messages(row["form"]):
                    label = self.row_label % {"number": row["number"]}
                    self.add_error(None, f"{label}: {message}")
            return cleaned
        items = [row["form"].to_item() for row in self.rows if not row["form"].is_blank()]
        if not items:
            self.add_error(None, forms.ValidationError(self.empty_message, code="no_rows"))
        cleaned["items"] = items
        return cleaned

    def rows_data(self, *, add: bool = False, remove: int | None = None) -> dict[str, list[str]]:
        """This step's input as the wizard stores it, with one row added or removed.

        Rows after a removed one move up, keeping what was typed in them; rows
        removed in the browser are dropped too, so nothing of them stays in the draft.
        """
        prefix = f"{self.formset_prefix}-"
        step_prefix = f"{self.prefix}-"
        data = {
            key: values
            for key, values in self.data.lists()
            if key.startswith(step_prefix)
            and not key.startswith(prefix)
            and key not in (self.add_button_name, self.remove_button_name)
        }
        kept = 0
        for index, row in enumerate(self.formset.forms):
            if index == remove or self.row_is_removed(row):
                continue
            row_prefix = f"{prefix}{index}-"
            for key, values in self.data.lists():
                if key.startswith(row_prefix) and not key.endswith("-DELETE"):
                    data[f"{prefix}{kept}-{key[len(row_prefix) :]}"] = values
            kept += 1
        if add and kept < self.max_rows:
            kept += 1
        data.update(
            {
                f"{prefix}TOTAL_FORMS": [str(kept)],
                f"{prefix}INITIAL_FORMS": ["0"],
                f"{prefix}MIN_NUM_FORMS": ["0"],
                f"{prefix}MAX_NUM_FORMS": [str(self.max_rows)],
            }
        )
        return data

    def row_action(self) -> tuple[str, int | None] | None:
        """The row button pressed in this (bound) form: ("add", None), ("remove", index) or None.

        A remove button naming no row (a stale or altered page) removes nothing,
        rather than being taken for "Next".
        """
        if self.add_button_name in self.data:
            return ("add", None)
        if self.remove_button_name in self.data:
            try:
                index = int(self.data[self.remove_button_name])
            except (TypeError, ValueError):
                return ("remove", None)
            return ("remove", index if 0 <= index < len(self.formset.forms) else None)
        return None

    def hide_errors(self) -> None:
        """Show the input without judging it: adding or removing a row is not a submission.

        Marks this form, its formset and its rows as already checked with no errors,
        so rendering them does not validate (and the error summary stays empty).
        """
        self._errors = ErrorDict()
        self.cleaned_data = {}
        self.formset._errors = []
        self.formset._non_form_errors = self.formset.error_class()
        for row in self.formset.forms:
            row._errors = ErrorDict()


def _row_messages(row: forms.Form) -> list[str]:
    messages = []
    for name, errors in row.errors.items():
        field = row.fields.get(name)
        for error in errors:
            messages.append(f"{field.label}: {error}" if field is not None else str(error))
    return messages


class GoalsForm(RowsStepForm):
    """2. Mục tiêu: one or more goals."""

    title = _("Goals")
    step_template = "forms_app/steps/plan_goals.html"
    row_template = "forms_app/steps/plan_goal_row.html"
    row_form_class = GoalRowForm
    max_rows = 20
    empty_message = _("Write at least one goal.")
    add_label = _("Add a goal")
    row_label = _("Goal %(number)s")


class ActivitiesForm(RowsStepForm):
    """3. Hoạt động: the table of activities, one row per activity."""

    title = _("Activities")
    step_template = "forms_app/steps/plan_activities.html"
    row_template = "forms_app/steps/plan_activity_row.html"
    row_form_class = ActivityRowForm
    max_rows = 30
    empty_message = _("Add at least one activity.")
    add_label = _("Add an activity")
    row_label = _("Activity %(number)s")

    #: The column headings, in the order of the official form.
    columns = (
        "need",
        "activity",
        "responsible",
        "partners",
        "timing",
        "resources",
        "expected_result",
    )

    @classmethod
    def column_labels(cls) -> list[str]:
        fields = cls.row_form_class.base_fields
        return [str(fields[name].label) for name in cls.columns]


class PeriodForm(StepForm):
    """4. Thời gian thực hiện and the planned review date."""

    title = _("Period and review")
    fieldsets = [(_("Plan period"), ["period_start", "period_end"]), (None, ["review_date"])]

    period_start = forms.DateField(
        label=_("From"),
        widget=DateInput,
        error_messages={"required": _("Give the date the plan starts.")},
    )
    period_end = forms.DateField(
        label=_("To"),
        widget=DateInput,
        error_messages={"required": _("Give the date the plan ends.")},
    )
    review_date = forms.DateField(
        label=_("Planned review date"),
        widget=DateInput,
        help_text=_(
            "When the learner's situation is reviewed (Mẫu 04): within the period or "
            "after it, not before it starts."
        ),
        error_messages={"required": _("Give the date the plan is to be reviewed.")},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start: datetime.date | None = cleaned.get("period_start")
        end: datetime.date | None = cleaned.get("period_end")
        review: datetime.date | None = cleaned.get("review_date")
        if start and end and end < start:
            self.add_error(
                "period_end",
                forms.ValidationError(
                    _("The plan cannot end before it starts (%(start)s)."),
                    code="end_before_start",
                    params={"start": as_text(start)},
                ),
            )
        if start and review and review < start:
            self.add_error(
                "review_date",
                forms.ValidationError(
                    _("The review cannot be planned before the plan starts (%(start)s)."),
                    code="review_before_start",
                    params={"start": as_text(start)},
                ),
            )
        return cleaned


class ConfirmForm(StepForm):
    """5. A summary, and the author's confirmation that the plan goes to the principal."""

    title = _("Check and send for approval")
    step_template = "forms_app/steps/plan_confirm.html"

    confirm = forms.BooleanField(
        label=_("I send this plan to the principal for approval."),
        error_messages={"required": _("Tick the box to send the plan to the principal.")},
    )

    def __init__(self, *args, approval_due: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if approval_due is not None:
            self.fields["confirm"].help_text = _(
                "The principal approves or returns it within 3 working days: by %(due)s."
            ) % {"due": as_text(approval_due)}


__all__ = [
    "PRIORITY_LABELS",
    "ActivitiesForm",
    "ActivityRowForm",
    "ConfirmForm",
    "GoalRowForm",
    "GoalsForm",
    "PeriodForm",
    "ProblemsForm",
    "RowForm",
    "RowsStepForm",
]
