"""formtools' ``NamedUrlWizardView`` with its state in a ``WizardDraft``, and without its traps.

formtools keeps a wizard's state in the session under the class name, resets it
on a plain GET of the first step, drops the current step's input on "Back",
and submits on a GET of a "done" URL once the last step redirects there. Each
of these loses or repeats work in a case worker's hands: two tabs overwrite each
other, a reload starts again, a prefetch files a report twice. This module is
where all that is handled, so the case area's own wizard (``CaseWizard``) only
states its contract: who may use it, what it is audited as, and what its answers
become.

Written against django-formtools 2.7. :meth:`DraftWizardView.dispatch` replaces
``WizardView.dispatch`` (it builds ``prefix``, ``storage`` and ``steps`` the way
2.7 does, then calls the view's grandparent), :meth:`~DraftWizardView.post`
replaces ``NamedUrlWizardView.post``, :meth:`~DraftWizardView.render_done`
replaces its redirect to the "done" URL, and :meth:`~DraftWizardView.store_step_input`
clears the per-request caches 2.7 keeps in private attributes
(``_resolved_form_list``, ``_cache_signature``, ``_cleaned_data_cache_<step>``).
A formtools release that renames or adds to these breaks this class; the tests
that would catch it first are in test_intake_wizard.py:
``test_back_keeps_the_current_steps_input_even_when_invalid``,
``test_a_plain_get_or_reload_of_a_step_resets_nothing``,
``test_two_drafts_in_two_tabs_never_mix``,
``test_withdrawn_consent_drops_the_informant_details_already_typed`` (the caches),
``test_a_missing_management_form_is_a_400``,
``test_a_double_submit_of_the_final_step_makes_one_case`` and
``test_the_done_step_url_submits_nothing``; the storage's are named in
:mod:`forms_app.wizards.storage`.
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView
from wagtail.admin import messages

from forms_app.models import WizardDraft
from forms_app.wizards.storage import DraftStorage


class DraftWizardView(NamedUrlWizardView):
    """A named-URL wizard whose state lives in the ``WizardDraft`` named in the URL.

    A plain GET never resets the wizard (only a start view makes a new draft); the
    state is keyed by the draft, so two tabs never collide; "Back" and "Save and
    leave" keep what was typed on the current step even when it is not valid yet;
    and the final step's POST creates the record itself (no GET of a "done" URL),
    once, however often it is posted.

    Subclasses implement :meth:`get_draft`, :meth:`has_permission`, :meth:`refuse`,
    :meth:`get_step_url`, :meth:`get_success_url`, :meth:`get_leave_url` and
    :meth:`create_record`; :meth:`after_request` is called once per request that
    passed the checks.
    """

    # Data of a conditional step that is no longer shown is dropped from the draft,
    # so an answer withdrawn (e.g. the informant's consent) leaves nothing behind.
    forget_skipped_steps = True

    # Names of the submit buttons besides "Next".
    goto_button = "wizard_goto_step"
    save_and_leave_button = "wizard_save_and_leave"

    # What the subclass says --------------------------------------------------------

    def get_draft(self, request: HttpRequest, draft_id) -> WizardDraft:
        """The draft named in the URL, or a 404."""
        raise NotImplementedError

    def has_permission(self) -> bool:
        """Whether the user may fill in ``self.draft`` (read after :meth:`get_draft`)."""
        raise NotImplementedError

    def refuse(self) -> HttpResponse:
        """The answer to a user who may not go on (403)."""
        raise NotImplementedError

    def get_step_url(self, step: str) -> str:
        raise NotImplementedError

    def get_leave_url(self) -> str:
        """Where "Save and leave" goes."""
        raise NotImplementedError

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft):
        """Turn the validated steps into the record, and return it (inside a transaction)."""
        raise NotImplementedError

    def after_request(self, request: HttpRequest, step: str, response: HttpResponse) -> None:
        """Called once per request that passed the checks, with its response."""

    def get_success_message(self) -> str:
        """What the page after a submission says was saved ("" for nothing)."""
        return ""

    def get_storage(self) -> DraftStorage:
        """Override to keep the wizard's state somewhere else than the draft."""
        return DraftStorage(self.prefix, self.request, draft=self.draft)

    # Requests ------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # formtools' dispatch builds its storage from a dotted path and the class
        # name; this one hands the storage the draft instead, after the checks.
        # A start view passes a draft not saved yet (see draft_is_new).
        new_draft = kwargs.pop("new_draft", None)
        if new_draft is None:
            new_draft = self.get_draft(request, kwargs["draft_id"])
        self.draft = new_draft
        self.input_stored = False
        if not self.has_permission():
            return self.refuse()
        if self.draft.record_id is not None:
            # Submitted already: a resent final step, a reload or an old tab.
            return redirect(self.get_success_url())
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = self.get_storage()
        self.steps = StepsHelper(self)
        response = super(WizardView, self).dispatch(request, *args, **kwargs)
        if self.input_stored or not self.draft_is_new:
            # A new draft is written (made) only once the user's input is stored.
            self.storage.update_response(response)
        self.after_request(request, kwargs.get("step", ""), response)
        return response

    @property
    def draft_is_new(self) -> bool:
        """Whether the draft exists only in this request: its first step not saved yet.

        A start view shows the first step of a draft it has not made; the draft is
        written when that step's input is first stored (Next with valid input, "Save
        and leave", a row added), so opening a wizard and going away leaves nothing.
        """
        return self.draft._state.adding

    def _fallback_step(self) -> str:
        current = self.storage.current_step
        return current if current in self.get_form_list() else self.steps.first

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

    def posted_step(self) -> str:
        """The step the POST says it comes from, from the management form.

        A post without a valid management form is a 400, whatever button was pressed.
        """
        management_form = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management_form.is_valid():
            raise SuspiciousOperation("ManagementForm data is missing or has been tampered.")
        return management_form.cleaned_data["current_step"]

    def post(self, *args, **kwargs) -> HttpResponse:
        """Store the posted step, then go back, leave, re-show it with errors, or go on.

        The management form is checked before anything else, "Back" included.
        """
        step = self.posted_step()
        if step not in self.form_list:
            raise SuspiciousOperation(f"Unknown wizard step {step!r}.")
        if self.draft_is_new and step != self.steps.first:
            raise SuspiciousOperation("A new draft starts at its first step.")
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
            # Kept even though invalid, so a reload or a later visit shows it again;
            # but a first step sent with mistakes does not make a draft yet.
            if not self.draft_is_new:
                self.store_step_input(step, self.get_form_step_data(form))
            return self.render(form)
        self.store_step_input(step, self.process_step(form))
        self.storage.set_step_files(step, self.process_step_files(form))
        if step == self.steps.last:
            return self.render_done(form, **kwargs)
        return self.render_next_step(form)

    # The draft's input -------------------------------------------------------------

    def store_step_input(self, step: str, data) -> None:
        """Keep ``data`` as ``step``'s input and drop the steps it switched off."""
        self.input_stored = True
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

    # Submission ----------------------------------------------------------------------

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
            return self.refuse()
        self.draft = draft
        success_message = self.get_success_message()
        if success_message:
            messages.success(self.request, success_message)
        # Nothing is left to write: the storage's next save skips a submitted draft.
        return redirect(self.get_success_url())
