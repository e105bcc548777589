"""What the four template wizards (Mẫu 01–04) share.

``CaseWizard`` holds a draft per wizard kept in the database, permission checks,
the handling of formtools' known traps and an idempotent submission.
``CaseRecordWizard`` adds what the three templates filled in for an existing case
share (Mẫu 02–04): the case named by the draft, the states it may be in, and
prefilling from earlier records. Each template subclasses one of them in a module
of its own, names its steps and says in ``create_record`` what its answers become.
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView
from wagtail.admin import messages

from audit import log as audit_log
from audit.models import Action as AuditAction
from forms_app.cases.policy import can_open_case, can_view_case
from forms_app.display import case_url
from forms_app.models import Case, TemplateCode, WizardDraft
from forms_app.wizards.storage import DraftStorage
from schools.models import School


def forbidden(request: HttpRequest) -> HttpResponse:
    """A 403 page in the admin's look.

    Wagtail's admin turns ``PermissionDenied`` into a redirect to the dashboard;
    the case area answers with a plain 403 instead, so that a refusal is a refusal
    and not a page that seems to work.
    """
    return TemplateResponse(request, "forms_app/forbidden.html", status=403)


@method_decorator([sensitive_post_parameters(), sensitive_variables()], name="dispatch")
class CaseWizard(NamedUrlWizardView):
    """A formtools wizard whose state lives in a ``WizardDraft`` named in the URL.

    Designed around formtools' known traps: a plain GET never resets the wizard
    (only the start view makes a new draft); the state is keyed by the draft, not
    the class name, so two tabs never collide; "Back" and "Save and leave" keep what
    was typed on the current step even when it is not valid yet; and the final step
    creates the record itself (no GET of a "done" URL), once, however often it is
    posted.

    Subclasses set ``template_code``, ``url_base`` (the URL names' stem),
    ``url_slug`` (the Vietnamese path segment) and ``form_list`` (named steps),
    optionally ``condition_dict``, and implement ``create_record``.
    """

    template_code: str = ""
    # The last step's button: what submitting does, in the user's words.
    final_button_label = _("Save and finish")
    url_base = ""
    url_slug = ""
    template_name = "forms_app/wizard_step.html"
    # Data of a conditional step that is no longer shown is dropped from the draft,
    # so an answer withdrawn (e.g. the informant's consent) leaves nothing behind.
    forget_skipped_steps = True

    # Names of the submit buttons besides "Next".
    goto_button = "wizard_goto_step"
    save_and_leave_button = "wizard_save_and_leave"

    @classmethod
    def get_initkwargs(cls, *args, **kwargs) -> dict:
        kwargs.setdefault("url_name", cls.step_url_name())
        return super().get_initkwargs(*args, **kwargs)

    @classmethod
    def step_url_name(cls) -> str:
        """The URL name of a step of this wizard (``forms_app:<url_base>_step``)."""
        return f"forms_app:{cls.url_base}_step"

    @classmethod
    def start_url_name(cls) -> str:
        """The URL name that starts a new draft of this wizard (``forms_app:<url_base>_start``)."""
        return f"forms_app:{cls.url_base}_start"

    @classmethod
    def can_start(cls, user, school: School, case: Case | None = None) -> bool:
        """Whether ``user`` may start this template at ``school`` (for ``case``, if it needs one).

        Override to narrow; the default is anyone who may open a case there.
        """
        return case is None and can_open_case(user, school)

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
        self.audit(request, kwargs.get("step", ""), response)
        return response

    def audit(self, request: HttpRequest, step: str, response: HttpResponse) -> None:
        """Write this request to the access audit once: a step read or saved, or a record made.

        Reached only after the permission checks. The step's name is kept, never
        what was typed in it.
        """
        draft = self.draft
        target, detail = f"draft:{draft.pk}", f"step: {step}"
        if draft.record_id is not None:
            # Only this request can have submitted it: dispatch turns away submitted drafts.
            action, target = AuditAction.CREATE, f"mau-{self.template_code}:{draft.record_id}"
        elif request.method in ("GET", "HEAD"):
            if response.status_code != 200:
                return  # sent on to another step, which is audited when shown
            action = AuditAction.VIEW
        else:
            action = AuditAction.CHANGE
        audit_log.record(
            request, action, case=draft.case, school=draft.school_id, target=target, detail=detail
        )

    # URLs

    def get_step_url(self, step: str) -> str:
        return reverse(self.step_url_name(), kwargs={"draft_id": self.draft.pk, "step": step})

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
        # NUL characters are dropped: PostgreSQL cannot store them in JSON (a 500),
        # and the form refuses them anyway, so nothing meaningful is lost.
        return {
            key: [
                value.replace("\x00", "") if isinstance(value, str) else value for value in values
            ]
            for key, values in form.data.lists()
            if key.startswith(prefix)
        }

    def render_done(self, form: Form, **kwargs) -> HttpResponse:
        """Re-validate every shown step, then submit; the final POST itself submits.

        NamedUrlWizardView redirects to a "done" URL and submits on its GET, which a
        reload or a prefetch would repeat. formtools then resets its storage, which
        here would empty the draft even when the submission was refused; the draft
        is cleared only by a submission that succeeded (see :meth:`done`).
        """
        final_forms = {}
        for step in self.get_form_list():
            step_form = self.get_form(
                step=step,
                data=self.storage.get_step_data(step),
                files=self.storage.get_step_files(step),
            )
            if not step_form.is_valid():
                return self.render_revalidation_failure(step, step_form, **kwargs)
            final_forms[step] = step_form
        return self.done(list(final_forms.values()), form_dict=final_forms, form=form, **kwargs)

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
            # A step form naming a ``step_template`` gets it included above its
            # fields (a table of criteria, the learner's details). Not
            # ``form.template_name``: every Django form has one, for ``{{ form }}``.
            step_template=getattr(form, "step_template", None),
            final_button_label=self.final_button_label,
            goto_button=self.goto_button,
            save_and_leave_button=self.save_and_leave_button,
        )
        return context

    # Submission

    def done(self, form_list, form_dict=None, form=None, **kwargs) -> HttpResponse:
        """Create the record once, in one transaction, and lead to it.

        The draft row is locked first: a double click or a resent final step waits
        for the first submission and then finds ``record_id`` set. The draft's
        answers are cleared, as they now live in the record. A submission the case
        no longer allows (another worker moved it on meanwhile) is refused with the
        reason, and the draft is kept as it is.
        """
        try:
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
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return self.render(form)
        except PermissionDenied:
            return forbidden(self.request)
        self.draft = draft
        # Nothing is left to write: the storage's next save skips a submitted draft.
        return redirect(self.get_success_url())

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft):
        """Override to turn the validated steps into the template's record, and return it."""
        raise NotImplementedError

    def get_answers(self, cleaned: dict[str, dict], column_fields: dict | None = None) -> dict:
        """The answers not kept in columns, by step, in a form JSON can hold.

        ``column_fields`` maps a step to the names kept elsewhere (as columns of the
        case or the record). Override to change what is kept.
        """
        column_fields = column_fields or {}
        answers = {}
        for step, data in cleaned.items():
            rest = {
                name: value
                for name, value in data.items()
                if name not in column_fields.get(step, ())
            }
            if rest:
                answers[step] = rest
        return answers


class CaseRecordWizard(CaseWizard):
    """A template filled in for an existing case (Mẫu 02, 03, 04).

    The draft names the case. Who may fill it in is decided per case (its school's
    case roles), and in which states: ``allowed_states`` lists the states of the
    case in which a new record of this template fits the procedure. The state is
    checked when the draft is started and again, under a lock, when it is
    submitted, because the case may have moved on meanwhile.
    """

    allowed_states: frozenset[str] = frozenset()

    @classmethod
    def can_start(cls, user, school: School, case: Case | None = None) -> bool:
        return (
            case is not None
            and case.school_id == school.pk
            and can_view_case(user, case)
            and case.state in cls.allowed_states
        )

    def get_draft(self, request: HttpRequest, draft_id) -> WizardDraft:
        return get_object_or_404(
            WizardDraft.objects.select_related("school", "case"),
            pk=draft_id,
            owner=request.user,
            template=self.template_code,
            case__isnull=False,
        )

    @property
    def case(self) -> Case:
        return self.draft.case

    def has_permission(self) -> bool:
        # Only the read right: a draft is kept even if the case moved on meanwhile,
        # so nothing typed is lost; the state is checked on submission.
        return can_view_case(self.request.user, self.case)

    def lock_case(self) -> Case:
        """The draft's case re-read under a row lock, for ``create_record``."""
        return (
            Case.objects.select_for_update(of=("self",))
            .select_related("school")
            .get(pk=self.draft.case_id)
        )

    def check_state(self, case: Case) -> None:
        """Refuse the submission when the case is no longer in a state this template fits."""
        if case.state not in self.allowed_states:
            raise ValidationError(
                _(
                    "The case is now in state “%(state)s”; this form can no longer be "
                    "submitted for it. Your draft has been kept."
                ),
                code="case_moved_on",
                params={"state": case.get_state_display()},
            )

    def get_prefill(self, step: str) -> dict:
        """Override to prefill ``step`` from the case and its earlier records."""
        return {}

    def get_form_initial(self, step: str) -> dict:
        return {**super().get_form_initial(step), **self.get_prefill(step)}

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["case"] = self.case
        return context
