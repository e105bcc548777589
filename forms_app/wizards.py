"""The wizards that fill in the four official templates (Mẫu 01–04), step by step.

``CaseWizard`` holds what the four share: a draft per wizard kept in the
database, permission checks, the handling of formtools' known traps and an
idempotent submission. Each template subclasses it, names its steps and says in
``create_record`` what its answers become. Mẫu 01 (``IntakeWizard``) is the first.
"""

import datetime

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView
from wagtail.admin import messages

from forms_app.cases import open_case
from forms_app.forms.intake import (
    FamilyForm,
    FirstAssessmentForm,
    InformantConsentForm,
    InformantForm,
    LearnerForm,
    SourceForm,
    SupportSoFarForm,
)
from forms_app.models import IntakeReport, TemplateCode, WizardDraft
from forms_app.models.records import TT18_2025
from forms_app.permissions import can_open_case, case_schools
from forms_app.storage import DraftStorage

# Where a submitted draft's case is shown: the case list's inspect view, tried in
# order; the first name that resolves wins. The list is registered elsewhere
# (wagtail_hooks), so the wizards cannot assume it exists.
CASE_INSPECT_URL_NAMES = ("forms_app_case_modeladmin_inspect",)


def forbidden(request: HttpRequest) -> HttpResponse:
    """A 403 page in the admin's look.

    Wagtail's admin turns ``PermissionDenied`` into a redirect to the dashboard;
    the case area answers with a plain 403 instead, so that a refusal is a refusal
    and not a page that seems to work.
    """
    return TemplateResponse(request, "forms_app/forbidden.html", status=403)


def case_url(case_id: int | None) -> str:
    """The case's page in the case list, or the drafts list when there is none yet."""
    if case_id is not None:
        for name in CASE_INSPECT_URL_NAMES:
            try:
                return reverse(name, args=[case_id])
            except NoReverseMatch:
                continue
    return reverse("forms_app:drafts")


class CaseWizard(NamedUrlWizardView):
    """A formtools wizard whose state lives in a ``WizardDraft`` named in the URL.

    Designed around formtools' known traps: a plain GET never resets the wizard
    (only the start view makes a new draft); the state is keyed by the draft, not
    the class name, so two tabs never collide; "Back" and "Save and leave" keep what
    was typed on the current step even when it is not valid yet; and the final step
    creates the record itself (no GET of a "done" URL), once, however often it is
    posted.

    Subclasses set ``template_code``, ``url_name`` and ``form_list`` (named steps),
    optionally ``condition_dict``, and implement ``create_record``.
    """

    template_code: str = ""
    url_name = ""
    template_name = "forms_app/wizard_step.html"
    # Data of a conditional step that is no longer shown is dropped from the draft,
    # so an answer withdrawn (e.g. the informant's consent) leaves nothing behind.
    forget_skipped_steps = True

    # Names of the submit buttons besides "Next".
    goto_button = "wizard_goto_step"
    save_and_leave_button = "wizard_save_and_leave"

    @classmethod
    def get_initkwargs(cls, *args, **kwargs) -> dict:
        kwargs.setdefault("url_name", cls.url_name)
        return super().get_initkwargs(*args, **kwargs)

    @classmethod
    def get_first_step(cls) -> str:
        """The step a new draft opens at (the first of ``form_list``)."""
        return str(cls.form_list[0][0])

    # Draft and permissions

    def get_draft(self, request: HttpRequest, draft_id) -> WizardDraft:
        """The draft named in the URL; override to narrow further.

        Someone else's draft is a 404, like a draft that does not exist: a 403 would
        tell a stranger it is there.
        """
        return get_object_or_404(
            WizardDraft.objects.select_related("school"),
            pk=draft_id,
            owner=request.user,
            template=self.template_code,
        )

    def has_permission(self) -> bool:
        """Override to change who may fill in this template at the draft's school."""
        return can_open_case(self.request.user, self.draft.school)

    def get_storage(self) -> DraftStorage:
        """Override to keep the wizard's state somewhere else than the draft."""
        return DraftStorage(self.prefix, self.request, draft=self.draft)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # formtools' dispatch builds its storage from a dotted path and the class
        # name; this one hands the storage the draft instead, after the checks.
        self.draft = self.get_draft(request, kwargs["draft_id"])
        if not self.has_permission():
            return forbidden(request)
        if self.draft.record_id is not None:
            # Submitted already: a resent final step, a reload or an old tab.
            return redirect(self.get_success_url())
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = self.get_storage()
        self.steps = StepsHelper(self)
        response = super(WizardView, self).dispatch(request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    # URLs

    def get_step_url(self, step: str) -> str:
        return reverse(self.url_name, kwargs={"draft_id": self.draft.pk, "step": step})

    def get_success_url(self) -> str:
        """Override to change where a submitted draft leads; by default its case's page."""
        return case_url(self.draft.case_id)

    def get_leave_url(self) -> str:
        """Override to change where "Save and leave" goes; by default the user's drafts."""
        return reverse("forms_app:drafts")

    def _fallback_step(self) -> str:
        current = self.storage.current_step
        return current if current in self.get_form_list() else self.steps.first

    # Requests

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """Show a step with what is stored for it; never reset (formtools' GET does).

        A reload, a bookmark, the browser's back button or a second tab all show
        the draft as it is.
        """
        step = kwargs.get("step")
        if step not in self.get_form_list():
            # Includes formtools' "done" URL: only a POST of the last step submits.
            return redirect(self.get_step_url(self._fallback_step()))
        self.storage.current_step = step
        return self.render(
            self.get_form(
                data=self.storage.current_step_data, files=self.storage.current_step_files
            )
        )

    def post(self, *args, **kwargs) -> HttpResponse:
        """Store the posted step, then go back, leave, re-show it with errors, or go on.

        The management form is checked before anything else, "Back" included, so a
        post without it is a 400 whatever the button.
        """
        management_form = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management_form.is_valid():
            raise SuspiciousOperation("ManagementForm data is missing or has been tampered.")
        step = management_form.cleaned_data["current_step"]
        if step not in self.form_list:
            raise SuspiciousOperation(f"Unknown wizard step {step!r}.")
        if step not in self.get_form_list():
            # A conditional step posted from a stale tab after its condition changed.
            return redirect(self.get_step_url(self._fallback_step()))
        self.storage.current_step = step

        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        goto_step = self.request.POST.get(self.goto_button)
        if goto_step in self.get_form_list():
            self.store_step_input(step, self.get_form_step_data(form))
            return self.render_goto_step(goto_step)
        if self.save_and_leave_button in self.request.POST:
            self.store_step_input(step, self.get_form_step_data(form))
            messages.success(self.request, _("Your draft has been saved."))
            return redirect(self.get_leave_url())

        if not form.is_valid():
            # Kept even though invalid, so a reload or a later visit shows it again.
            self.store_step_input(step, self.get_form_step_data(form))
            return self.render(form)
        self.store_step_input(step, self.process_step(form))
        self.storage.set_step_files(step, self.process_step_files(form))
        if step == self.steps.last:
            return self.render_done(form, **kwargs)
        return self.render_next_step(form)

    def store_step_input(self, step: str, data) -> None:
        """Keep ``data`` as ``step``'s input and drop the steps it switched off."""
        self.storage.set_step_data(step, data)
        self._forget_resolved_steps()
        if self.forget_skipped_steps:
            shown = self.get_form_list()
            for stored in self.storage.stored_steps():
                if stored in self.form_list and stored not in shown:
                    self.storage.forget_step(stored)

    def _forget_resolved_steps(self) -> None:
        # formtools caches the step list and each step's cleaned data per request;
        # a change of input may change both (as its own post() does).
        for attr_name in list(self.__dict__):
            if attr_name.startswith("_cleaned_data_cache_") or attr_name in (
                "_resolved_form_list",
                "_cache_signature",
            ):
                delattr(self, attr_name)

    def get_form_step_data(self, form: Form) -> dict:
        """Only this step's fields: formtools would keep the whole POST, CSRF token included."""
        prefix = f"{form.prefix}-"
        return {key: values for key, values in form.data.lists() if key.startswith(prefix)}

    def render_done(self, form: Form, **kwargs) -> HttpResponse:
        # NamedUrlWizardView redirects to a "done" URL and submits on its GET, which
        # a reload or a prefetch would repeat; here the final POST itself submits.
        return WizardView.render_done(self, form, **kwargs)

    # Display

    def get_title(self) -> str:
        """Override to change the heading above every step."""
        return TemplateCode(self.template_code).label

    def get_step_list(self) -> list[dict]:
        """The progress list: each shown step with its title, and which one is current."""
        stored = set(self.storage.stored_steps())
        current = self.steps.current
        return [
            {
                "name": name,
                "number": number,
                "title": getattr(form_class, "title", "") or name,
                "current": name == current,
                "started": name in stored,
            }
            for number, (name, form_class) in enumerate(self.get_form_list().items(), start=1)
        ]

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        step_list = self.get_step_list()
        current = next(step for step in step_list if step["current"])
        context.update(
            draft=self.draft,
            page_title=self.get_title(),
            step_title=current["title"],
            step_number=current["number"],
            step_list=step_list,
            is_last_step=self.steps.current == self.steps.last,
            goto_button=self.goto_button,
            save_and_leave_button=self.save_and_leave_button,
        )
        return context

    # Submission

    def done(self, form_list, form_dict=None, **kwargs) -> HttpResponse:
        """Create the record once, in one transaction, and lead to it.

        The draft row is locked first: a double click or a resent final step waits
        for the first submission and then finds ``record_id`` set. The draft's
        answers are cleared, as they now live in the record.
        """
        with transaction.atomic():
            draft = WizardDraft.objects.select_for_update().get(pk=self.draft.pk)
            if draft.record_id is None:
                record = self.create_record(form_dict, draft)
                draft.record_id = record.pk
                draft.case = draft.case or getattr(record, "case", None)
                draft.submitted_at = timezone.now()
                draft.steps = {}
                draft.current_step = ""
                draft.save(
                    update_fields=["record_id", "case", "submitted_at", "steps", "current_step"]
                )
            self.draft = draft
        return redirect(self.get_success_url())

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft):
        """Override to turn the validated steps into the template's record, and return it."""
        raise NotImplementedError


def informant_consented(wizard: CaseWizard) -> bool:
    """Show the informant's step only when they agreed to give their details."""
    cleaned = wizard.get_cleaned_data_for_step("informant_consent") or {}
    return bool(cleaned.get("consent"))


class IntakeWizard(CaseWizard):
    """Mẫu 01 — Báo cáo tiếp nhận thông tin: the intake report that opens a case.

    The learner's identifying details become the case's columns; the rest of the
    answers are kept by step in the report's ``answers``, beside the template
    version and legal basis. Without the informant's consent their step is neither
    shown nor stored.
    """

    template_code = TemplateCode.INTAKE
    url_name = "forms_app:intake_step"
    template_version = "2025.1"
    legal_basis = TT18_2025
    form_list = [
        ("source", SourceForm),
        ("learner", LearnerForm),
        ("family", FamilyForm),
        ("support_so_far", SupportSoFarForm),
        ("informant_consent", InformantConsentForm),
        ("informant", InformantForm),
        ("first_assessment", FirstAssessmentForm),
    ]
    condition_dict = {"informant": informant_consented}

    # Answers that become columns of the case or the report rather than JSON.
    column_fields = {
        "source": {"received_date", "received_time", "received_at", "school"},
        "learner": {
            "name",
            "birth_date",
            "age_estimate",
            "gender",
            "learner_class",
            "categories",
        },
        "informant_consent": {"consent"},
        "first_assessment": {"urgency", "referral_suggested"},
    }

    def get_case_schools(self) -> QuerySet:
        return case_schools(self.request.user)

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "source":
            return {"schools": self.get_case_schools()}
        return {}

    def get_form_initial(self, step: str) -> dict:
        if step == "source":
            now = timezone.localtime().replace(second=0, microsecond=0)
            return {
                "received_date": now.date(),
                "received_time": now.time(),
                "school": self.draft.school,
            }
        return super().get_form_initial(step)

    def process_step(self, form: Form):
        # The draft follows the school chosen, so its list and permission checks do too.
        school = form.cleaned_data.get("school") if self.steps.current == "source" else None
        if school is not None and school.pk != self.draft.school_id:
            WizardDraft.objects.filter(pk=self.draft.pk).update(school=school)
            self.draft.school = school
        return super().process_step(form)

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft) -> IntakeReport:
        user = self.request.user
        cleaned = {step: form.cleaned_data for step, form in form_dict.items()}
        source, learner = cleaned["source"], cleaned["learner"]
        consent = cleaned["informant_consent"]["consent"]
        assessment = cleaned["first_assessment"]
        school = source.get("school") or draft.school
        if not can_open_case(user, school):
            raise PermissionDenied
        received_at: datetime.datetime = source["received_at"]

        case = open_case(
            school,
            user,
            received_at=received_at,
            learner_name=learner["name"],
            learner_birth_date=learner["birth_date"],
            learner_age_estimate=learner["age_estimate"],
            learner_gender=learner["gender"],
            learner_class=learner["learner_class"],
        )
        case.categories.set(learner["categories"])
        return IntakeReport.objects.create(
            case=case,
            received_at=received_at,
            urgency=assessment["urgency"],
            referral_suggested=assessment["referral_suggested"],
            informant_consented=consent,
            answers=self.get_answers(cleaned),
            template_version=self.template_version,
            legal_basis=self.legal_basis,
            author=user,
        )

    def get_answers(self, cleaned: dict[str, dict]) -> dict[str, dict]:
        """The answers not kept in columns, by step; override to change what is kept."""
        answers = {}
        for step, data in cleaned.items():
            rest = {
                name: value
                for name, value in data.items()
                if name not in self.column_fields.get(step, ())
            }
            if rest:
                answers[step] = rest
        return answers


# The wizard of each template, for the start view and the drafts list.
WIZARDS: dict[str, type[CaseWizard]] = {TemplateCode.INTAKE: IntakeWizard}
