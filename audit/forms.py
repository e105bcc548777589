"""The filters of the principal's audit report: dates, user, action, school.

Read leniently, like the site's other listings: an edited URL with a bad value
is shown as a form error and filters nothing, it never errors.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEntry
from schools.models import School


class ReportFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.ChoiceField(label=_("User"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All")), *Action.choices]
    )
    school = forms.TypedChoiceField(label=_("School"), required=False, coerce=int)

    def __init__(self, *args, school_ids: frozenset[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.school_ids = school_ids
        names = (
            AuditEntry.objects.filter(school_id_value__in=school_ids)
            .exclude(actor_username="")
            .order_by("actor_username")
            .values_list("actor_username", flat=True)
            .distinct()
        )
        self.fields["user"].choices = [("", _("All")), *((name, name) for name in names)]
        schools = School.objects.filter(pk__in=school_ids).order_by("name")
        if len(school_ids) > 1:
            self.fields["school"].choices = [
                ("", _("All")),
                *((school.pk, school.name) for school in schools),
            ]
        else:
            del self.fields["school"]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filter(self, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """``queryset`` narrowed by the valid filters; an invalid form filters nothing."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            start = datetime.datetime.combine(data["date_from"], datetime.time.min, zone)
            queryset = queryset.filter(at__gte=start)
        if data.get("date_to"):
            end = datetime.datetime.combine(
                data["date_to"] + datetime.timedelta(days=1), datetime.time.min, zone
            )
            queryset = queryset.filter(at__lt=end)
        if data.get("user"):
            queryset = queryset.filter(actor_username=data["user"])
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("school"):
            queryset = queryset.filter(school_id_value=data["school"])
        return queryset
