"""The learners' screens in the admin: the list of a school, a learner added or kept
up to date by hand, and the import of a class list (upload → preview → confirm).

Every view asks :mod:`learners.policy` first and answers 404 to anybody else; every
screen that shows learners, and every change, is written to the access audit after
that check, naming learners by id ("learner:<pk>"), never by name. The views are
classes naming their model so the admin's crawler (tests/admin_i18n) fills their URLs.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from audit import log as audit_log
from audit.models import Action
from learners import importing, policy
from learners.excel import read_class_list
from learners.forms import AddLearnerForm, LearnerForm, ListFilterForm, UploadForm
from learners.models import Learner
from schools.models import School

PER_PAGE = 50


def _schools_or_404(request: HttpRequest) -> QuerySet[School]:
    schools = policy.learner_schools(request.user)
    if not schools:
        raise Http404("No list of learners to show.")
    return schools


@method_decorator(never_cache, name="dispatch")
class LearnerView(View):
    """What every learners' screen shares: the policy's gate before anything else."""

    model = Learner

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.schools = _schools_or_404(request)
        return super().dispatch(request, *args, **kwargs)


class LearnerListView(LearnerView):
    """A school's learners by class, filtered by class or found by exact name."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        schools = list(self.schools)
        school = self._school(request, schools)
        classes = list(
            Learner.objects.filter(school=school)
            .exclude(class_name="")
            .order_by("class_name")
            .values_list("class_name", flat=True)
            .distinct()
        )
        form = ListFilterForm(
            request.GET or None, schools=self.schools, classes=classes, initial={"school": school}
        )
        learners = Learner.objects.filter(school=school)
        name = ""
        if form.is_valid():
            data = form.cleaned_data
            if data.get("class_name"):
                learners = learners.filter(class_name=data["class_name"])
            name = data.get("name") or ""
            if name:
                learners = learners.filter(Learner.named(name))
            roll = data.get("roll")
            if roll != "all":
                learners = learners.filter(on_roll=roll != "left")
        else:
            learners = learners.filter(on_roll=True)
        page = Paginator(learners.order_by("class_name", "pk"), PER_PAGE).get_page(
            request.GET.get("p")
        )
        # The name searched is never written down: only that a search was made.
        audit_log.record(
            request,
            Action.SEARCH if name else Action.VIEW,
            school=school,
            target="learner-list",
        )
        query = request.GET.copy()
        query.pop("p", None)
        return TemplateResponse(
            request,
            "learners/list.html",
            {
                "school": school,
                "add_url": f"{reverse('learners:add')}?school={school.pk}",
                "several_schools": len(schools) > 1,
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "searched_name": bool(name),
            },
        )

    def _school(self, request: HttpRequest, schools: list[School]) -> School:
        wanted = request.GET.get("school")
        for school in schools:
            if wanted and str(school.pk) == wanted:
                return school
        if wanted:
            raise Http404("No list of learners to show.")
        return schools[0]


@method_decorator(sensitive_post_parameters(), name="dispatch")
class LearnerAddView(LearnerView):
    """A learner typed in by hand (a new pupil before the next class list)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"school": request.GET.get("school")} if request.GET.get("school") else {}
        return self._render(request, AddLearnerForm(schools=self.schools, initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AddLearnerForm(request.POST, schools=self.schools)
        if not form.is_valid():
            return self._render(request, form)
        learner = form.save()
        audit_log.record(
            request, Action.CREATE, school=learner.school_id, target=f"learner:{learner.pk}"
        )
        messages.success(request, _("The learner has been added to the list."))
        return redirect(f"{reverse('learners:list')}?school={learner.school_id}")

    def _render(self, request: HttpRequest, form: AddLearnerForm) -> TemplateResponse:
        return TemplateResponse(
            request, "learners/form.html", {"form": form, "title": _("Add a learner")}
        )


@method_decorator(sensitive_post_parameters(), name="dispatch")
class LearnerEditView(LearnerView):
    """One learner: corrected, marked as having left the roll or back on it, or, when
    nothing names them yet, deleted as a mistake."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        learner = policy.get_learner_or_404(request.user, pk)
        audit_log.record(request, Action.VIEW, school=learner.school_id, target=f"learner:{pk}")
        return self._render(request, learner, LearnerForm(instance=learner))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        learner = policy.get_learner_or_404(request.user, pk)
        target, back = f"learner:{pk}", f"{reverse('learners:list')}?school={learner.school_id}"
        if "leave_roll" in request.POST or "back_on_roll" in request.POST:
            learner.on_roll = "back_on_roll" in request.POST
            learner.save(update_fields=["on_roll", "updated_at"])
            audit_log.record(request, Action.CHANGE, school=learner.school_id, target=target)
            messages.success(
                request,
                _("The learner is back on the roll.")
                if learner.on_roll
                else _("The learner is marked as having left the roll."),
            )
            return redirect(back)
        if "delete" in request.POST:
            if policy.is_named_elsewhere(learner):
                messages.error(
                    request,
                    _(
                        "A case or a concern names this learner, so they stay on the list; "
                        "mark them as having left the roll instead."
                    ),
                )
                return redirect(reverse("learners:edit", args=[pk]))
            audit_log.record(request, Action.DELETE, school=learner.school_id, target=target)
            learner.delete()
            messages.success(request, _("The learner has been deleted from the list."))
            return redirect(back)
        form = LearnerForm(request.POST, instance=learner)
        if not form.is_valid():
            return self._render(request, learner, form)
        form.save()
        audit_log.record(request, Action.CHANGE, school=learner.school_id, target=target)
        messages.success(request, _("The learner's details have been saved."))
        return redirect(back)

    def _render(
        self, request: HttpRequest, learner: Learner, form: LearnerForm
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "learners/form.html",
            {
                "form": form,
                "learner": learner,
                "title": _("Learner's details"),
                "may_delete": not policy.is_named_elsewhere(learner),
            },
        )


class ImportUploadView(LearnerView):
    """Step 1 of an import: the class list's file, read and checked, then kept for the preview."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, UploadForm(schools=self.schools))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, schools=self.schools)
        if not form.is_valid():
            return self._render(request, form)
        school = form.cleaned_data["school"]
        try:
            rows, bad = read_class_list(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
            return self._render(request, form)
        importing.keep_rows(request, school, rows, bad)
        audit_log.record(request, Action.UPLOAD, school=school, target="learner-import")
        return redirect("learners:import_preview")

    def _render(self, request: HttpRequest, form: UploadForm) -> TemplateResponse:
        return TemplateResponse(request, "learners/import_upload.html", {"form": form})


class ImportPreviewView(LearnerView):
    """Step 2: what the import would do; confirming writes it all in one transaction."""

    def _kept(self, request: HttpRequest):
        kept = importing.kept_rows(request)
        if kept is None:
            return None
        school_id, rows, bad = kept
        school = next((s for s in self.schools if s.pk == school_id), None)
        if school is None:
            importing.forget_rows(request)
            return None
        return school, rows, bad

    def get(self, request: HttpRequest) -> HttpResponse:
        kept = self._kept(request)
        if kept is None:
            messages.info(request, _("Upload the class list first."))
            return redirect("learners:import")
        school, rows, bad = kept
        plan = importing.plan_import(school, rows, bad)
        audit_log.record(request, Action.VIEW, school=school, target="learner-import")
        return TemplateResponse(
            request, "learners/import_preview.html", {"school": school, "plan": plan}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        kept = self._kept(request)
        if kept is None:
            messages.error(request, _("The preview has expired; upload the class list again."))
            return redirect("learners:import")
        if "cancel" in request.POST:
            importing.forget_rows(request)
            messages.info(request, _("Nothing was imported."))
            return redirect("learners:import")
        school, rows, bad = kept
        plan = importing.apply_import(school, rows, bad)
        importing.forget_rows(request)
        audit_log.record(request, Action.CREATE, school=school, target="learner-import")
        messages.success(
            request,
            _("Class list imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "new": len(plan.new),
                "updated": len(plan.updated),
                "unchanged": len(plan.unchanged),
            },
        )
        return redirect(f"{reverse('learners:list')}?school={school.pk}")
