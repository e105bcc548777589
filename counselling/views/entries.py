"""Sổ theo dõi tư vấn: the list of a school's sessions, a new one, one, and its change."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import pgettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from audit import log as audit_log
from audit.models import Action
from counselling import policy
from counselling.forms import EntryFilterForm, EntryForm, gender_label
from counselling.models import CounsellingEntry
from counselling.prefill import intake_draft
from forms_app.cases.access import can_open_case, can_view_case
from forms_app.display import case_url, local_date, local_moment, person_name
from forms_app.wizards.intake import IntakeWizard

PER_PAGE = 50


@method_decorator(never_cache, name="dispatch")
class LogView(View):
    """What every screen of the log shares: the policy's gate before anything else."""

    model = CounsellingEntry

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.schools = list(policy.log_schools(request.user))
        if not self.schools:
            raise Http404("No counselling log to show.")
        return super().dispatch(request, *args, **kwargs)


class EntryListView(LogView):
    """The sessions of the user's schools, newest first, filtered; no name, no notes."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        several = len(self.schools) > 1
        entries = policy.entries_for(request.user)
        school = None
        wanted = request.GET.get("school")
        if several and wanted:
            school = next((s for s in self.schools if str(s.pk) == wanted), None)
            if school is None:
                raise Http404("No counselling log to show.")
            entries = entries.filter(school=school)
        form = EntryFilterForm(request.GET or None)
        entries = form.filter(entries).select_related("area", "school").order_by("-held_on", "-pk")
        page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
        for shown in {school.pk} if school else {s.pk for s in self.schools}:
            audit_log.record(request, Action.VIEW, school=shown, target="counselling-log")
        rows = [
            {
                "url": reverse("counselling:entry", args=[entry.pk]),
                "date": local_date(entry.held_on),
                "iso": entry.held_on.isoformat(),
                "form": entry.get_form_display(),
                "area": entry.area.name,
                "participants": entry.participants,
                "grade": entry.grade,
                "outcome": entry.get_outcome_display(),
                "school": entry.school.name,
            }
            for entry in page.object_list
        ]
        query = request.GET.copy()
        query.pop("p", None)
        return TemplateResponse(
            request,
            "counselling/entry_list.html",
            {
                "form": form,
                "page": page,
                "rows": rows,
                "count": page.paginator.count,
                "query": query.urlencode(),
                "several_schools": several,
                "schools": self.schools,
                "school": school,
                "subtitle": school.name if school else ", ".join(s.name for s in self.schools),
            },
        )


@method_decorator(sensitive_post_parameters(), name="dispatch")
class EntryFormView(LogView):
    """A session typed in, or corrected; "Check the names" shows what the names found
    without saving, so the grade and the namesakes can be checked first."""

    def get_entry(self, request: HttpRequest, pk: int | None) -> CounsellingEntry | None:
        return None if pk is None else policy.get_entry_or_404(request.user, pk)

    def target(self, entry: CounsellingEntry | None) -> str:
        if entry is None:
            return "counselling-entry-new"
        return f"counselling-entry-edit:{entry.pk}"

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        entry = self.get_entry(request, pk)
        initial = {}
        if entry is None and request.GET.get("school"):
            initial["school"] = request.GET["school"]
        form = EntryForm(schools=self.schools, user=request.user, instance=entry, initial=initial)
        only = self.schools[0].pk if len(self.schools) == 1 else None
        school = entry.school_id if entry else only
        audit_log.record(request, Action.VIEW, school=school, target=self.target(entry))
        return self.render(request, form, entry)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        entry = self.get_entry(request, pk)
        form = EntryForm(request.POST, schools=self.schools, user=request.user, instance=entry)
        if not form.is_valid() or "check" in request.POST:
            return self.render(request, form, entry, checked="check" in request.POST)
        new_case = form.cleaned_data.get("open_new_case")
        if new_case and not can_open_case(request.user, form.cleaned_data["school"]):
            raise Http404("No counselling log to show.")
        with transaction.atomic():
            if entry is None:
                form.instance.counsellor = request.user
            saved = form.save()
            target = f"counselling-entry-new:{saved.pk}" if entry is None else self.target(saved)
            audit_log.record(
                request,
                Action.CREATE if entry is None else Action.CHANGE,
                school=saved.school_id,
                case=saved.case,
                target=target,
            )
            draft = intake_draft(saved, request.user) if new_case else None
        if draft is not None:
            messages.success(
                request,
                pgettext(
                    "counselling log",
                    "The session has been saved. Fill in Mẫu 01 to open the case; "
                    "it is prefilled from the session.",
                ),
            )
            return redirect(
                IntakeWizard.step_url_name(),
                draft_id=draft.pk,
                step=draft.current_step or IntakeWizard.get_first_step(),
            )
        messages.success(
            request,
            pgettext("counselling log", "The session has been saved in the counselling log."),
        )
        if entry is None and "another" in request.POST:
            return redirect("counselling:entry_new")
        return redirect("counselling:entries")

    def render(
        self, request: HttpRequest, form: EntryForm, entry: CounsellingEntry | None, checked=False
    ) -> TemplateResponse:
        found = []
        if checked and form.is_valid():
            learners = form.cleaned_data["learners"]
            found = [f"{learner.full_name} · {learner.class_name or '—'}" for learner in learners]
        return TemplateResponse(
            request,
            "counselling/entry_form.html",
            {
                "form": form,
                "entry": entry,
                "title": pgettext("counselling log", "Counselling session")
                if entry
                else pgettext("counselling log", "New counselling session"),
                "checked": checked,
                "found": found,
            },
        )


class EntryDetailView(LogView):
    """One session, its notes and the learners it names: the counselling team's own page."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = policy.get_entry_or_404(request.user, pk)
        entry = CounsellingEntry.objects.select_related("school", "area", "case", "counsellor").get(
            pk=entry.pk
        )
        audit_log.record(
            request,
            Action.VIEW,
            school=entry.school_id,
            case=entry.case,
            target=f"counselling-entry:{entry.pk}",
        )
        case = entry.case
        if case is not None and not can_view_case(request.user, case):
            case = None
        return TemplateResponse(
            request,
            "counselling/entry_detail.html",
            {
                "entry": entry,
                "date": local_date(entry.held_on),
                "gender": gender_label(entry.gender),
                "written": local_moment(entry.created_at),
                "learners": list(entry.learners.order_by("class_name", "pk")),
                "case": case,
                "case_url": case_url(case.pk) if case is not None else "",
                "counsellor": entry.counsellor,
                "counsellor_name": person_name(entry.counsellor) if entry.counsellor else "",
            },
        )
