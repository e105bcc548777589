"""The counselling log's forms: an entry, typed on a phone in under a minute, and an
awareness activity; and the list's filter.

The learners of an entry are typed by name, one a line, and found among the school's
learners by exact name with or without diacritics (``Learner.named``, the keyed
index), as the staff concern form and Mẫu 01 find them. When several learners of the
school share a name, the form comes back asking which, by class, keeping everything
typed. Everything works without JavaScript: the choices depend on what was posted, so
they are worked out from the posted values when the form is built.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from counselling.models import Activity, CounsellingArea, CounsellingEntry, CountGender
from forms_app.cases.access import cases_for
from forms_app.display import local_date
from forms_app.forms import DateInput
from forms_app.models import Case, CaseState
from learners.grades import GRADES, grade_of
from learners.models import Learner
from schools.models import School

MAX_NAMED = 10
# The grade's choice that takes the grade from the class of the learners named.
GRADE_FROM_CLASS = "auto"
# The case choice that opens a new case (a Mẫu 01 draft) instead of linking one.
NEW_CASE = "new"


# The log says "lượt tư vấn", as the reports count them: its own words carry the context
# "counselling log", written out at each call because xgettext reads only literal contexts.


def gender_choices() -> list[tuple[str, str]]:
    """The log's gender choices: "Not known" in the counting sense ("Không rõ"), not the
    older "Không biết" the same English has elsewhere."""
    return [
        (value, pgettext_lazy("gender", "Not known") if value == CountGender.UNKNOWN else label)
        for value, label in CountGender.choices
    ]


def gender_label(value: str) -> str:
    return str(dict(gender_choices()).get(value, value))


def _full_width(form: forms.Form) -> None:
    """Selects and text boxes take the width there is: Wagtail sizes a select to its longest
    choice, which on a 360 px phone runs past the screen's edge."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden or isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue
        classes = widget.attrs.get("class", "").split()
        if "w-w-full" not in classes:
            widget.attrs["class"] = " ".join([*classes, "w-w-full"])


def _school_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), empty_label=None
    )


def _limit_schools(form: forms.Form, schools: list[School]) -> None:
    field = form.fields["school"]
    field.queryset = School.objects.filter(pk__in=[s.pk for s in schools]).order_by("name")
    if len(schools) == 1:
        # One school: nothing to choose, and nothing to show (nor to post).
        field.initial = schools[0].pk
        field.widget = forms.HiddenInput()
        field.required = False
    form.only_school = schools[0] if len(schools) == 1 else None


def _clean_school(form: forms.Form) -> School:
    return form.cleaned_data.get("school") or form.only_school


def _posted_school(form: forms.Form, schools: list[School]) -> School | None:
    """The school the form is about, read leniently from what was posted (or the initial)."""
    if len(schools) == 1:
        return schools[0]
    value = str(form["school"].value() or "")
    return next((s for s in schools if str(s.pk) == value), None)


def offered_areas(instance) -> QuerySet[CounsellingArea]:
    """The active content areas, and the one ``instance`` already has even if no longer offered."""
    wanted = Q(active=True)
    if instance is not None and instance.area_id:
        wanted |= Q(pk=instance.area_id)
    return CounsellingArea.objects.filter(wanted)


def namesake_label(learner: Learner) -> str:
    """A learner offered among namesakes: name, class and year of birth."""
    parts = [learner.full_name]
    parts.append(
        str(_("class %(class)s") % {"class": learner.class_name})
        if learner.class_name
        else str(_("no class given"))
    )
    if learner.birth_date:
        parts.append(str(_("born %(year)s") % {"year": learner.birth_date.year}))
    return " · ".join(parts)


def case_label(case: Case) -> str:
    """A case offered to link: its reference and the day it was received, never a name."""
    return str(
        _("%(reference)s, received %(date)s")
        % {"reference": case.reference, "date": local_date(case.received_at)}
    )


@dataclass
class NameMatch:
    """A typed name and the school's learners on the roll who bear it."""

    typed: str
    found: list[Learner]


class EntryForm(forms.ModelForm):
    """Một lượt tư vấn: when, how, about what, who, and how it ended."""

    school = _school_field()
    names = forms.CharField(
        label=_("Learners (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Full names as on the school's list, one per line; with or without diacritics. "
            "Leave empty if the learner is not named."
        ),
    )
    picks = forms.MultipleChoiceField(
        label=_("Which learner is it?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Several learners of the school have this name: tick the right one."),
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False)
    case_choice = forms.ChoiceField(
        label=_("If referred to a case: which case?"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Open cases of the school you may read; of the learner named, if any."),
    )

    field_order = [
        "school",
        "held_on",
        "form",
        "area",
        "names",
        "picks",
        "participants",
        "grade",
        "gender",
        "duration_minutes",
        "outcome",
        "case_choice",
        "notes",
    ]

    class Meta:
        model = CounsellingEntry
        fields = [
            "school",
            "held_on",
            "form",
            "area",
            "participants",
            "gender",
            "duration_minutes",
            "outcome",
            "notes",
        ]
        widgets = {
            "held_on": DateInput,
            "form": forms.RadioSelect,
            "gender": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "participants": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        }
        labels = {
            "held_on": _("Date"),
            "form": _("Form of counselling"),
            "area": _("Content area"),
            "participants": _("Number of participants"),
            "gender": _("Gender"),
            "duration_minutes": _("Duration (minutes)"),
            "outcome": _("Outcome"),
            "notes": _("Notes"),
        }
        help_texts = {
            "participants": _(
                "1 for an individual session; the number of people for a group or a class."
            ),
            "gender": _("Taken from the list when a learner is named."),
            "notes": _("Only the school's counselling team and the principal read them."),
        }

    def __init__(self, *args, schools: list[School], user, **kwargs) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            initial = kwargs.setdefault("initial", {})
            learners = list(instance.learners.order_by("class_name", "pk"))
            initial.setdefault("names", "\n".join(learner.full_name for learner in learners))
            initial.setdefault("picks", [str(learner.pk) for learner in learners])
            initial.setdefault("grade", "" if instance.grade is None else str(instance.grade))
            initial.setdefault("case_choice", str(instance.case_id or ""))
        super().__init__(*args, **kwargs)
        self.user = user
        _limit_schools(self, schools)
        self.fields["area"].queryset = offered_areas(self.instance)
        self.fields["area"].empty_label = None
        self.fields["area"].widget = forms.RadioSelect(choices=self.fields["area"].choices)
        self.fields["area"].error_messages["required"] = _("Choose what the session was about.")
        self.fields["held_on"].error_messages["required"] = _("Give the date of the session.")
        self.fields["held_on"].error_messages["invalid"] = _("Give the date as day/month/year.")
        self.fields["grade"].choices = [
            (GRADE_FROM_CLASS, _("From the class of the learner named")),
            ("", _("Several grades, or not known")),
            *[(str(grade), _("Grade %(grade)s") % {"grade": grade}) for grade in GRADES],
        ]
        if instance is None or not instance.pk:
            self.fields["grade"].initial = GRADE_FROM_CLASS
            self.fields["held_on"].initial = timezone.localdate()
        self.school = _posted_school(self, schools)
        self.matches = self._match_names()
        self.fields["picks"].choices = [
            (str(learner.pk), namesake_label(learner))
            for match in self.matches
            if len(match.found) > 1
            for learner in match.found
        ]
        if not self.fields["picks"].choices:
            del self.fields["picks"]
        self.candidates = self._case_candidates(instance)
        self.fields["case_choice"].choices = [
            (
                NEW_CASE,
                pgettext_lazy(
                    "counselling log", "Open a new case (Mẫu 01), prefilled from this session"
                ),
            ),
            *[(str(case.pk), case_label(case)) for case in self.candidates],
        ]
        self.fields["gender"].choices = gender_choices()
        _full_width(self)

    # Learners ---------------------------------------------------------------------

    def typed_names(self) -> list[str]:
        seen, names = set(), []
        for line in str(self["names"].value() or "").splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def _match_names(self) -> list[NameMatch]:
        if self.school is None:
            return []
        return [
            NameMatch(
                name,
                list(
                    Learner.objects.filter(
                        Learner.named(name), school=self.school, on_roll=True
                    ).order_by("class_name", "pk")[:20]
                ),
            )
            for name in self.typed_names()[: MAX_NAMED + 1]
        ]

    def _picked_values(self) -> set[str]:
        if "picks" not in self.fields:
            return set()
        value = self["picks"].value() or []
        return {str(v) for v in (value if isinstance(value, list | tuple) else [value])}

    def named_learners(self) -> list[Learner]:
        """The learners the names (and ticks among namesakes) point to, as posted."""
        picked = self._picked_values()
        learners: list[Learner] = []
        for match in self.matches:
            if len(match.found) == 1:
                learners.append(match.found[0])
            else:
                learners.extend(m for m in match.found if str(m.pk) in picked)
        return learners

    # Cases -------------------------------------------------------------------------

    def _case_candidates(self, instance: CounsellingEntry | None) -> list[Case]:
        if self.school is None:
            return []
        cases = (
            cases_for(self.user)
            .filter(school=self.school, archived_at__isnull=True)
            .exclude(state=CaseState.CLOSED)
        )
        named = self.named_learners()
        if named:
            match = Q(learner__in=[learner.pk for learner in named])
            for learner in named:
                match |= Case.name_lookup(learner.full_name or "")
            cases = cases.filter(match)
        found = list(cases.order_by("-received_at", "-pk")[:30])
        if (
            instance is not None
            and instance.case_id
            and instance.case_id not in {c.pk for c in found}
        ):
            current = cases_for(self.user).filter(pk=instance.case_id).first()
            if current is not None:
                found.insert(0, current)
        return found

    # Checks ------------------------------------------------------------------------

    def clean_school(self) -> School:
        return _clean_school(self)

    def clean_held_on(self) -> datetime.date:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The session cannot be in the future."), code="future")
        return held_on

    def clean_participants(self) -> int:
        participants = self.cleaned_data.get("participants")
        if not participants:
            raise forms.ValidationError(
                _("Give the number of participants (at least 1)."), code="required"
            )
        return participants

    def clean_duration_minutes(self) -> int | None:
        minutes = self.cleaned_data.get("duration_minutes")
        if minutes is not None and not 1 <= minutes <= 600:
            raise forms.ValidationError(
                _("Give the duration in minutes, from 1 to 600."), code="range"
            )
        return minutes

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_learners(cleaned)
        self._clean_count(cleaned)
        self._clean_case(cleaned)
        return cleaned

    def _clean_learners(self, cleaned: dict) -> None:
        if len(self.typed_names()) > MAX_NAMED:
            self.add_error(
                "names",
                _("Name at most %(count)s learners; for more, count them without names.")
                % {"count": MAX_NAMED},
            )
            return
        picked = self._picked_values()
        for match in self.matches:
            if not match.found:
                self.add_error(
                    "names",
                    _(
                        "No learner on the school's list is named “%(name)s”. Check the "
                        "whole name, or leave it out if the learner is not named."
                    )
                    % {"name": match.typed},
                )
            elif len(match.found) > 1 and not any(str(m.pk) in picked for m in match.found):
                self.add_error(
                    "picks",
                    _("Several learners are named “%(name)s”: tick the right one by class.")
                    % {"name": match.typed},
                )
        cleaned["learners"] = self.named_learners()

    def _clean_count(self, cleaned: dict) -> None:
        participants = cleaned.get("participants")
        form = cleaned.get("form")
        if not participants:
            return
        if form in (CounsellingEntry.Form.GROUP, CounsellingEntry.Form.CLASS) and participants < 2:
            self.add_error(
                "participants",
                pgettext_lazy(
                    "counselling log",
                    "A group or class session has at least 2 participants: give their number.",
                ),
            )
        named = len(cleaned.get("learners") or [])
        if named > participants:
            self.add_error(
                "participants",
                _("%(count)s learners are named: the number of participants is at least that.")
                % {"count": named},
            )

    def _clean_case(self, cleaned: dict) -> None:
        choice = cleaned.get("case_choice") or ""
        if cleaned.get("outcome") != CounsellingEntry.Outcome.CASE:
            cleaned["case"] = None
            cleaned["open_new_case"] = False
            return
        if not choice:
            self.add_error(
                "case_choice",
                pgettext_lazy(
                    "counselling log",
                    "Choose the case to link this session to, or open a new case.",
                ),
            )
            return
        cleaned["open_new_case"] = choice == NEW_CASE
        cleaned["case"] = next((c for c in self.candidates if str(c.pk) == choice), None)

    # Saving ------------------------------------------------------------------------

    def grade_from_learners(self, learners: list[Learner]) -> int | None:
        grades = {grade_of(learner.class_name) for learner in learners}
        return grades.pop() if len(grades) == 1 else None

    def gender_from_learners(self, learners: list[Learner]) -> str | None:
        genders = {learner.gender for learner in learners}
        if not learners or not genders <= {CountGender.MALE, CountGender.FEMALE}:
            return None
        return genders.pop() if len(genders) == 1 else CountGender.MIXED

    def save(self, commit: bool = True) -> CounsellingEntry:
        entry = super().save(commit=False)
        cleaned = self.cleaned_data
        learners = cleaned["learners"]
        entry.school = cleaned["school"]
        grade = cleaned.get("grade")
        entry.grade = (
            self.grade_from_learners(learners)
            if grade == GRADE_FROM_CLASS
            else (int(grade) if grade else None)
        )
        entry.gender = (
            self.gender_from_learners(learners) or cleaned.get("gender") or (CountGender.UNKNOWN)
        )
        entry.case = cleaned.get("case")
        if commit:
            entry.save()
            entry.learners.set(learners)
        return entry


class EntryFilterForm(forms.Form):
    """The list's filters, read leniently: a hand-edited URL never errors."""

    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("For example 2026-11."),
    )
    form = forms.ChoiceField(label=_("Form of counselling"), required=False)
    area = forms.ModelChoiceField(
        label=_("Content area"),
        queryset=CounsellingArea.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", _("All")), *CounsellingEntry.Form.choices]
        self.fields["outcome"].choices = [("", _("All")), *CounsellingEntry.Outcome.choices]
        _full_width(self)

    def clean_month(self) -> tuple[int, int] | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-", 1))
            datetime.date(year, month, 1)
        except ValueError as error:
            raise forms.ValidationError(
                _("Give the month as year-month, for example 2026-11."), code="invalid"
            ) from error
        return year, month

    def filter(self, entries: QuerySet[CounsellingEntry]) -> QuerySet[CounsellingEntry]:
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("month"):
            year, month = data["month"]
            entries = entries.filter(held_on__year=year, held_on__month=month)
        if data.get("form"):
            entries = entries.filter(form=data["form"])
        if data.get("area"):
            entries = entries.filter(area=data["area"])
        if data.get("outcome"):
            entries = entries.filter(outcome=data["outcome"])
        return entries


class ActivityForm(forms.ModelForm):
    """An awareness activity: what, when, for whom, how many, and the page that announced it."""

    school = _school_field()

    class Meta:
        model = Activity
        fields = [
            "school",
            "title",
            "kind",
            "held_on",
            "ends_on",
            "audience",
            "participants",
            "area",
            "campaign",
            "notes",
        ]
        widgets = {
            "held_on": DateInput,
            "ends_on": DateInput,
            "kind": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "participants": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "title": _("Name of the activity"),
            "kind": _("Kind of activity"),
            "held_on": _("Date"),
            "ends_on": _("Until (if over several days)"),
            "audience": _("Audience"),
            "participants": _("Number of participants"),
            "area": _("Content area"),
            "campaign": _("Campaign page (optional)"),
            "notes": _("Notes"),
        }
        help_texts = {
            "campaign": _("The school's public campaign page that announced it."),
            "notes": _("Name no learner here."),
        }

    def __init__(self, *args, schools: list[School], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit_schools(self, schools)
        self.schools = schools
        self.fields["title"].error_messages["required"] = _("Give the activity a title.")
        self.fields["area"].queryset = offered_areas(self.instance)
        self.fields["area"].error_messages["required"] = _("Choose the content area.")
        self.fields["area"].empty_label = None
        self.fields["campaign"].queryset = campaigns_of(schools)
        self.fields["campaign"].empty_label = _("No campaign page")
        self.fields["campaign"].label_from_instance = campaign_label
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
        _full_width(self)

    def clean_school(self) -> School:
        return _clean_school(self)

    def clean(self) -> dict:
        cleaned = super().clean()
        held_on, ends_on = cleaned.get("held_on"), cleaned.get("ends_on")
        if held_on and ends_on and ends_on < held_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        campaign, school = cleaned.get("campaign"), cleaned.get("school")
        if (
            campaign is not None
            and school is not None
            and not campaigns_of([school]).filter(pk=campaign.pk).exists()
        ):
            self.add_error("campaign", _("Choose a campaign page of the school chosen."))
        return cleaned

    def save(self, commit: bool = True) -> Activity:
        activity = super().save(commit=False)
        activity.school = self.cleaned_data["school"]
        if commit:
            activity.save()
        return activity


def campaigns_of(schools: list[School]):
    """The live campaign pages under ``schools``' root pages, newest first."""
    from pages.models import CampaignPage

    pages = CampaignPage.objects.none()
    roots = [school.root_page for school in schools if school.root_page_id]
    if not roots:
        return pages
    query = CampaignPage.objects.live().descendant_of(roots[0], inclusive=True)
    for root in roots[1:]:
        query = query | CampaignPage.objects.live().descendant_of(root, inclusive=True)
    return query.order_by("-start_date", "pk")


def campaign_label(page) -> str:
    return f"{page.title} ({local_date(page.start_date)})"
