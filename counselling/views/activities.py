"""Hoạt động truyền thông: a school's awareness activities, listed, added and kept up to date."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from audit import log as audit_log
from audit.models import Action
from counselling import policy
from counselling.forms import ActivityForm
from counselling.models import Activity
from counselling.views.entries import LogView
from forms_app.display import local_date

PER_PAGE = 50


class ActivityListView(LogView):
    """The activities of the user's schools, newest first."""

    model = Activity
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        activities = (
            policy.activities_for(request.user)
            .select_related("area", "school")
            .order_by("-held_on", "-pk")
        )
        page = Paginator(activities, PER_PAGE).get_page(request.GET.get("p"))
        rows = [
            {
                "url": reverse("counselling:activity_edit", args=[activity.pk]),
                "title": activity.title,
                "date": local_date(activity.held_on),
                "until": local_date(activity.ends_on),
                "kind": activity.get_kind_display(),
                "audience": activity.get_audience_display(),
                "participants": activity.participants,
                "area": activity.area.name,
                "school": activity.school.name,
            }
            for activity in page.object_list
        ]
        return TemplateResponse(
            request,
            "counselling/activity_list.html",
            {
                "page": page,
                "rows": rows,
                "count": page.paginator.count,
                "several_schools": len(self.schools) > 1,
                "subtitle": ", ".join(s.name for s in self.schools),
            },
        )


class ActivityFormView(LogView):
    """An activity added, or one of the user's schools' changed."""

    model = Activity

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        activity = None if pk is None else policy.get_activity_or_404(request.user, pk)
        if activity is not None:
            audit_log.record(
                request, Action.VIEW, school=activity.school_id, target=f"activity:{activity.pk}"
            )
        return self.render(request, ActivityForm(schools=self.schools, instance=activity), activity)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        activity = None if pk is None else policy.get_activity_or_404(request.user, pk)
        form = ActivityForm(request.POST, schools=self.schools, instance=activity)
        if not form.is_valid():
            return self.render(request, form, activity)
        if activity is None:
            form.instance.created_by = request.user
        saved = form.save()
        audit_log.record(
            request,
            Action.CREATE if activity is None else Action.CHANGE,
            school=saved.school_id,
            target=f"activity:{saved.pk}",
        )
        messages.success(request, _("The activity has been saved."))
        return redirect("counselling:activities")

    def render(self, request: HttpRequest, form: ActivityForm, activity: Activity | None):
        return TemplateResponse(
            request,
            "counselling/activity_form.html",
            {
                "form": form,
                "activity": activity,
                "title": _("Awareness activity") if activity else _("New awareness activity"),
            },
        )
