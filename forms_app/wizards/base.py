"""What the four template wizards (Mẫu 01–04) share: the case area's contract.

``CaseWizard`` says who may fill in a template, what each request is audited
as, what the answers become (``create_record``) and how a record of the template
reads (``describe_sections``); the mechanics of a wizard kept in a draft are
:class:`~forms_app.wizards.draft_wizard.DraftWizardView`'s. ``CaseRecordWizard``
adds what the three templates filled in for an existing case share (Mẫu 02–04):
the case named by the draft, the states it may be in, and prefilling from earlier
records. Each template subclasses one of them in a module of its own.
"""

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from audit import log as audit_log
from audit.models import Action as AuditAction
from forms_app.cases.policy import can_open_case, can_view_case
from forms_app.display import case_url
from forms_app.models import Case, TemplateCode, WizardDraft
from forms_app.models.records import CaseRecord
from forms_app.printing.sections import Section, generic_sections
from forms_app.wizards.draft_wizard import DraftWizardView
from schools.models import School
from schools.roles import is_staff_only


def forbidden(request: HttpRequest) -> HttpResponse:
    """A 403 page in the admin's look.

    Wagtail's admin turns ``PermissionDenied`` into a redirect to the dashboard;
    the case area answers with a plain 403 instead, so that a refusal is a refusal
    and not a page that seems to work. A teacher (``Role.STAFF`` alone) gets a 404:
    for them the case area does not exist (tests/forms_app/admin/test_url_matrix.py).
    """
    if is_staff_only(request.user):
        raise Http404
    return TemplateResponse(request, "forms_app/forbidden.html", status=403)


@method_decorator([sensitive_post_parameters(), sensitive_variables()], name="dispatch")
class CaseWizard(DraftWizardView):
    """A template's wizard: who may fill it in, its audit, the record it makes and how that reads.

    Subclasses set ``template_code``, ``url_base`` (the URL names' stem),
    ``url_slug`` (the Vietnamese path segment) and ``form_list`` (named steps),
    optionally ``condition_dict``, implement ``create_record`` and override
    ``describe_sections``.
    """

    template_code: str = ""
    # The last step's button: what submitting does, in the user's words.
    final_button_label = _("Save and finish")
    # Shown on the case's page after a submission. The case's reference only, never
    # the learner's name: a message may be written to a log on its way.
    success_message = _("%(template)s of case %(reference)s has been saved.")
    url_base = ""
    url_slug = ""
    template_name = "forms_app/wizard_step.html"
    # Which sections of the record's description sum it up on the case page, by
    # their number on the form (see ``summary_sections``).
    summary_section_numbers: tuple[int, ...] = (1,)

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
    def draft_learner(cls, draft: WizardDraft) -> str:
        """Whom a draft is about, for its owner's list of drafts ("" when not known yet).

        The draft's case's learner; override for a template that names the learner
        in its own steps (Mẫu 01). Confidential: shown only to the draft's owner.
        """
        return draft.case.learner_name if draft.case_id else ""

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

    def refuse(self) -> HttpResponse:
        return forbidden(self.request)

    def after_request(self, request: HttpRequest, step: str, response: HttpResponse) -> None:
        """Write this request to the access audit once: a step read or saved, or a record made.

        Reached only after the permission checks. The step's name is kept, never
        what was typed in it.
        """
        draft = self.draft
        target, detail = f"draft:{draft.pk}", f"step: {step}"
        if draft.record_id is not None:
            # Only this request can have submitted it: dispatch turns away submitted drafts.
            action, target = AuditAction.CREATE, f"mau-{self.template_code}:{draft.record_id}"
        elif draft._state.adding:
            # Nothing saved (a new draft's first step shown, or sent back with mistakes),
            # so no draft to name: the template's form, seen.
            action, target = AuditAction.VIEW, f"mau-{self.template_code}"
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

    def get_success_message(self) -> str:
        """Override to change what the case's page says after a submission."""
        case = self.draft.case
        return self.success_message % {
            "template": TemplateCode(self.template_code).label,
            "reference": case.reference if case is not None else "",
        }

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

    # The record

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft):
        """Override to turn the validated steps into the template's record, and return it.

        Called once, inside the transaction that marks the draft submitted. Raise
        ``ValidationError`` to refuse with a reason (the draft is kept), or
        ``PermissionDenied``.
        """
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

    @classmethod
    def describe_sections(cls, record: CaseRecord) -> list[Section]:
        """The record as the numbered sections of its paper form, in words.

        The one description of a record: the print page, the PDF, the whole-case
        PDF and the case page all read it (through
        :func:`forms_app.printing.layout.describe_sections`), so they never
        disagree. Override for each template: it knows its steps, their labels
        and tables, and whether a fact is read from the case (where corrections
        go) or from the record's answers. Use the step forms' labels, so the print
        says what the screen asked.

        The default lists the stored answers step by step
        (:func:`~forms_app.printing.sections.generic_sections`): less faithful
        than a template's own description, but a record is never unprintable.

        The case page describes every record of a case: read what the record and
        its case already hold (``record.case``, ``record.author`` and the related
        objects the case page loads with them) rather than querying per record.
        """
        return generic_sections(cls, record)

    @classmethod
    def summary_sections(cls, sections: list[Section]) -> list[Section]:
        """Which of a record's described sections sum it up on the case page.

        ``sections`` is what :meth:`describe_sections` returned; the default keeps
        those numbered in ``summary_section_numbers``. The case page shows their
        rows under the record's title, date and author, beside the links to its
        print page and PDF.
        """
        count = len(sections)
        return [sections[n - 1] for n in cls.summary_section_numbers if 0 < n <= count]


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
