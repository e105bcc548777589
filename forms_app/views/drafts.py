"""Starting a wizard and listing one's drafts; the wizards themselves are in ``wizards``."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from audit import log as audit_log
from audit.models import Action as AuditAction
from forms_app.cases.policy import can_list_cases, case_schools, get_case_or_404
from forms_app.models import Case, WizardDraft
from forms_app.wizards import WIZARDS, CaseRecordWizard, CaseWizard, forbidden
from schools.models import School


@method_decorator([sensitive_post_parameters(), sensitive_variables()], name="dispatch")
class StartDraftView(View):
    """Make a new draft for ``wizard_class`` and go to its first step.

    The only place a draft is made: opening a wizard's step URL never resets or
    replaces one (formtools' GET would), so each start is a draft of its own and two
    tabs never share one. Mẫu 01 opens a case: ``?school=<id>`` picks the school,
    and without it the user's first case school is taken (its first step lets them
    change it). Mẫu 02–04 belong to a case: ``?case=<id>`` names it, a case the
    user may not read is a 404, and one in a state where the template does not fit
    is refused.
    """

    wizard_class: type[CaseWizard] | None = None

    def get_school(self, request: HttpRequest) -> School | None:
        """Override to choose the draft's school differently."""
        schools = case_schools(request.user)
        wanted = request.GET.get("school") or request.POST.get("school")
        if not wanted:
            return schools.first()
        if not schools.exists():
            return None  # no case role anywhere: the area is refused (403)
        # Looked up among the user's own case schools: another school is not there
        # (404), as another school's case is not.
        try:
            return schools.get(pk=int(wanted))
        except (ValueError, School.DoesNotExist) as exc:
            raise Http404("No such school.") from exc

    def get_case(self, request: HttpRequest) -> Case | None:
        wanted = request.GET.get("case") or request.POST.get("case")
        if not wanted:
            return None
        return get_case_or_404(request.user, wanted)

    def start(self, request: HttpRequest) -> HttpResponse:
        wizard = self.wizard_class
        needs_case = issubclass(wizard, CaseRecordWizard)
        case = self.get_case(request) if needs_case else None
        if needs_case and case is None:
            raise Http404("No case given.")
        school = case.school if case is not None else self.get_school(request)
        if school is None or not wizard.can_start(request.user, school, case):
            return forbidden(request)
        first_step = wizard.get_first_step()
        draft = WizardDraft.objects.create(
            owner=request.user,
            school=school,
            case=case,
            template=wizard.template_code,
            current_step=first_step,
        )
        return redirect(
            reverse(wizard.step_url_name(), kwargs={"draft_id": draft.pk, "step": first_step})
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.start(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.start(request)


def resume_url(draft: WizardDraft) -> str | None:
    """The URL of the step a draft was left at (its wizard fixes an unknown step)."""
    wizard = WIZARDS.get(draft.template)
    if wizard is None:
        return None
    step = draft.current_step or wizard.get_first_step()
    return reverse(wizard.step_url_name(), kwargs={"draft_id": draft.pk, "step": step})


def step_title(draft: WizardDraft) -> str:
    wizard = WIZARDS.get(draft.template)
    if wizard is None or not draft.current_step:
        return ""
    form_class = dict(wizard.form_list).get(draft.current_step)
    return str(getattr(form_class, "title", "")) if form_class else ""


@sensitive_post_parameters()
@sensitive_variables()
def drafts(request: HttpRequest) -> HttpResponse:
    """The user's own unsubmitted drafts at the schools where they still hold a case role."""
    if not can_list_cases(request.user):
        return forbidden(request)
    rows = [
        {"draft": draft, "step_title": step_title(draft), "resume_url": resume_url(draft)}
        for draft in WizardDraft.objects.filter(
            owner=request.user,
            submitted_at__isnull=True,
            school__in=case_schools(request.user),
        ).select_related("school")
    ]
    if rows:
        counts: dict[int, int] = {}
        for row in rows:
            counts[row["draft"].school_id] = counts.get(row["draft"].school_id, 0) + 1
        audit_log.record_counts(request, AuditAction.VIEW, counts, target="drafts", label="drafts")
    return TemplateResponse(
        request,
        "forms_app/drafts.html",
        {"rows": rows, "intake_start_url": reverse("forms_app:intake_start")},
    )
