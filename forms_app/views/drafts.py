"""Starting a wizard and listing one's drafts; the wizards themselves are in ``wizards``."""

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from audit import log as audit_log
from audit.models import Action as AuditAction
from forms_app.cases.policy import can_list_cases, case_schools, get_case_or_404
from forms_app.display import local_moment
from forms_app.models import Case, WizardDraft
from forms_app.wizards import WIZARDS, CaseRecordWizard, CaseWizard, forbidden
from schools.models import School


@method_decorator([sensitive_post_parameters(), sensitive_variables()], name="dispatch")
class StartDraftView(View):
    """Show the first step of a new draft of ``wizard_class``; the draft is made when it is saved.

    The only place a draft is begun: opening a wizard's step URL never resets or
    replaces one (formtools' GET would), so each start is a draft of its own and two
    tabs never share one. The start URL shows the first step of a draft that exists
    only in the request, and its form posts back here: the wizard writes the draft
    once that step is saved (see ``DraftWizardView.draft_is_new``), so a click on
    "New intake" that goes no further leaves no empty draft behind. Mẫu 01 opens a
    case: ``?school=<id>`` picks the school, and without it the user's first case
    school is taken (its first step lets them change it). Mẫu 02–04 belong to a
    case: ``?case=<id>`` names it, a case the user may not read is a 404, and one in
    a state where the template does not fit is refused.
    """

    wizard_class: type[CaseWizard] | None = None

    def get_school(self, request: HttpRequest) -> School | None:
        """Override to choose the draft's school differently."""
        schools = case_schools(request.user)
        wanted = request.GET.get("school")
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
        wanted = request.GET.get("case")
        if not wanted:
            return None
        return get_case_or_404(request.user, wanted)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wizard = self.wizard_class
        needs_case = issubclass(wizard, CaseRecordWizard)
        case = self.get_case(request) if needs_case else None
        if needs_case and case is None:
            raise Http404("No case given.")
        school = case.school if case is not None else self.get_school(request)
        if school is None or not wizard.can_start(request.user, school, case):
            return forbidden(request)
        first_step = wizard.get_first_step()
        # Not saved: the wizard saves it with the first step's input.
        draft = WizardDraft(
            owner=request.user,
            school=school,
            case=case,
            template=wizard.template_code,
            current_step=first_step,
        )
        return wizard.as_view()(request, draft_id=draft.pk, step=first_step, new_draft=draft)


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


def own_drafts(user) -> QuerySet[WizardDraft]:
    """The user's unsubmitted drafts at the schools where they still hold a case role.

    The one answer to "whose drafts may be listed and deleted": only the owner's.
    """
    return WizardDraft.objects.filter(
        owner=user, submitted_at__isnull=True, school__in=case_schools(user)
    ).select_related("school", "case")


def draft_row(draft: WizardDraft) -> dict:
    """What the list and the confirmation say about a draft: template, learner, step, time."""
    wizard = WIZARDS.get(draft.template)
    return {
        "draft": draft,
        "learner": wizard.draft_learner(draft) if wizard is not None else "",
        "step_title": step_title(draft),
        "saved_at": local_moment(draft.updated_at),
        "resume_url": resume_url(draft),
        "delete_url": reverse("forms_app:draft_delete", args=[draft.pk]),
    }


@sensitive_post_parameters()
@sensitive_variables()
def drafts(request: HttpRequest) -> HttpResponse:
    """The user's own unsubmitted drafts, each with whom it is about and when it was saved."""
    if not can_list_cases(request.user):
        return forbidden(request)
    rows = [draft_row(draft) for draft in own_drafts(request.user)]
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


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
@sensitive_variables()
def delete_draft(request: HttpRequest, draft_id) -> HttpResponse:
    """Ask, then delete one of the user's own drafts (POST); anyone else's is a 404.

    Deleting is audited like any change to case data: the draft's id and its case,
    never what was typed in it.
    """
    # Like any case object, a draft that is not the user's is not there (404), whatever
    # their role: own_drafts holds only their own, at schools where they have a case role.
    draft = get_object_or_404(own_drafts(request.user), pk=draft_id)
    if request.method != "POST":
        return TemplateResponse(request, "forms_app/draft_delete.html", {"row": draft_row(draft)})
    template = draft.get_template_display()
    with transaction.atomic():
        audit_log.record(
            request,
            AuditAction.DELETE,
            case=draft.case,
            school=draft.school_id,
            target=f"draft:{draft.pk}",
        )
        draft.delete()
    messages.success(
        request, gettext("The draft of %(template)s has been deleted.") % {"template": template}
    )
    return redirect("forms_app:drafts")
