"""The staff concern form ("Ghi nhận thông tin lo ngại"): what a teacher saw, and who.

The learners are a formset of typed rows, so the form works without JavaScript: an
"add another learner" button posts the form back with one more row. Each typed name
is looked up among the school's learners on the server (:func:`match_learners`);
when several share it, the row asks which one, by class, keeping everything typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from case_files.forms import ACCEPT
from case_files.validation import CheckedFile, validate_upload
from concerns.models import LearnerRole
from learners.models import Learner
from schools.models import School

# A row's answer to "which of these learners?" when the reporter is not sure.
NOT_SURE = "none"
MAX_LEARNERS = 10


class ConcernForm(forms.Form):
    """What happened, when and where, what the reporter did, a file, and the danger."""

    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        empty_label=None,
    )
    what_happened = forms.CharField(
        label=_("What did you see or hear?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write what you saw or heard yourself, in your own words."),
        error_messages={"required": _("Write what you saw or heard.")},
    )
    when_where = forms.CharField(
        label=_("When and where?"),
        max_length=500,
        required=False,
        help_text=_("For example: Monday morning, in the schoolyard."),
    )
    action_taken = forms.CharField(
        label=_("What have you already done?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: talked to the child, called the parents."),
    )
    attachment = forms.FileField(
        label=_("Photo or file (optional)"),
        required=False,
        allow_empty_file=True,
        help_text=_("PDF, JPEG, PNG or Word (DOCX)."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    urgent = forms.BooleanField(
        label=_("The child is in danger now"),
        required=False,
        help_text=_("Tick this if the child may be harmed today: the team is alerted at once."),
    )

    def __init__(self, *args, schools: list[School], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(
            pk__in=[school.pk for school in schools]
        ).order_by("name")
        self.original_name = ""
        if len(schools) == 1:
            # One school: nothing to choose, and nothing to show.
            self.fields["school"].initial = schools[0].pk
            self.fields["school"].widget = forms.HiddenInput()
        for name in ("what_happened", "when_where", "action_taken"):
            # Nothing about a child stays in the browser's form history.
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_attachment(self) -> CheckedFile | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        checked = validate_upload(upload)
        # Kept (encrypted) to be shown to the team, never used as a name on disk.
        self.original_name = (getattr(upload, "name", "") or "")[:255]
        return checked


class LearnerRowForm(forms.Form):
    """One learner the concern names: a typed name, the class if known, their part."""

    name = forms.CharField(
        label=_("Learner's full name"),
        max_length=255,
        required=False,
        help_text=_("If you do not know the name, describe the child, e.g. “a boy of class 7”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    class_name = forms.CharField(
        label=_("Class (if you know it)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("What was their part?"),
        choices=LearnerRole.choices,
        initial=LearnerRole.HARMED,
        widget=forms.RadioSelect,
    )
    # Filled only when several learners of the school have the name typed: the
    # server checks it against the matches again (match_learners).
    learner = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.matches: list[Learner] = []

    def offer(self, matches: list[Learner]) -> None:
        """Ask which of ``matches`` the reporter meant, keeping what they typed."""
        self.matches = matches
        self.add_error(
            "name",
            _("Several learners of the school have this name: choose the right one by class."),
        )


class BaseLearnerFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("name", "").strip() for form in self.forms):
            raise forms.ValidationError(
                _("Name at least one learner, or describe the child if you do not know the name.")
            )


LearnerFormSet = forms.formset_factory(
    LearnerRowForm,
    formset=BaseLearnerFormSet,
    extra=0,
    min_num=1,
    max_num=MAX_LEARNERS,
    validate_max=True,
)


@dataclass(frozen=True)
class NamedLearner:
    """A row as it will be saved: the learner found, or the name and class as typed."""

    typed_name: str
    typed_class: str
    role: str
    learner: Learner | None


def _choice_label(learner: Learner, duplicates: set[str]) -> str:
    label = learner.class_name or str(_("no class given"))
    if label in duplicates and learner.birth_date:
        label = f"{label} · {learner.birth_date.year}"
    return label


def choice_labels(matches: list[Learner]) -> list[tuple[str, str]]:
    """(value, label) of each match, by class (and year of birth where a class repeats)."""
    seen: dict[str, int] = {}
    for learner in matches:
        seen[learner.class_name] = seen.get(learner.class_name, 0) + 1
    duplicates = {name for name, count in seen.items() if count > 1}
    return [(str(learner.pk), _choice_label(learner, duplicates)) for learner in matches]


def _matches(school: School, name: str, class_name: str) -> list[Learner]:
    found = list(
        Learner.objects.filter(Learner.named(name), school=school, on_roll=True).order_by(
            "class_name", "pk"
        )
    )
    if class_name and len(found) > 1:
        wanted = class_name.replace(" ", "").casefold()
        same_class = [m for m in found if m.class_name.replace(" ", "").casefold() == wanted]
        if same_class:
            return same_class
    return found


def match_learners(formset, school: School) -> list[NamedLearner] | None:
    """Each named row matched against ``school``'s learners; None when a row must choose.

    One learner of that name (within the class, if typed): linked. Several: the row
    offers them by class, unless the reporter already picked one of them or "not
    sure". None: kept as typed, for the team to find.
    """
    rows: list[NamedLearner] = []
    undecided = False
    for form in formset.forms:
        name = form.cleaned_data.get("name", "").strip()
        if not name:
            continue
        class_name = form.cleaned_data.get("class_name", "").strip()
        matches = _matches(school, name, class_name)
        learner = None
        if len(matches) == 1:
            learner = matches[0]
        elif len(matches) > 1:
            picked = form.cleaned_data.get("learner", "")
            chosen = [m for m in matches if str(m.pk) == picked]
            if chosen:
                learner = chosen[0]
            elif picked != NOT_SURE:
                form.offer(matches)
                undecided = True
        rows.append(NamedLearner(name, class_name, form.cleaned_data["role"], learner))
    return None if undecided else rows


class FollowUpForm(forms.Form):
    """A reporter's follow-up note on their own concern."""

    text = forms.CharField(
        label=_("Add a note for the team"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        help_text=_("Something new you saw or heard, or something you did since."),
        error_messages={"required": _("Write your note before sending it.")},
    )
