"""A django-formtools storage that keeps a wizard's state in a ``WizardDraft`` row."""

import copy

from django.utils import timezone
from formtools.wizard.storage.base import BaseStorage

from forms_app.models import WizardDraft


class DraftStorage(BaseStorage):
    """Wizard state (current step, each step's input) read from and written to one draft.

    formtools' own storages key the state by the wizard's class name inside the
    session or a cookie, so two drafts open in two tabs overwrite each other and a
    child's details end up in the session. Here the state belongs to the draft named
    in the URL: the session holds nothing, and a draft survives logout and a change
    of device.

    Like formtools' cookie storage, changes are written once per request, in
    ``update_response``; a submitted draft is never written to again, so a late
    request cannot put a child's details back into a draft already turned into a
    record.

    Written against django-formtools 2.7's ``BaseStorage``: it fills the ``data``
    dict under the base class's four keys (``step_key``, ``step_data_key``,
    ``step_files_key``, ``extra_data_key``) and relies on every accessor of the base
    class reading and writing through ``data``. A formtools release that changes
    those keys or keeps state elsewhere would be caught by test_intake_wizard.py
    ``test_a_plain_get_or_reload_of_a_step_resets_nothing`` and
    ``test_a_draft_survives_a_new_session_and_is_listed_in_my_drafts``, and by
    test_nothing_in_session.py
    ``test_a_half_filled_intake_leaves_nothing_readable_outside_the_draft``.
    """

    def __init__(self, prefix: str, request=None, file_storage=None, *, draft: WizardDraft):
        super().__init__(prefix, request, file_storage)
        self.draft = draft
        stored = draft.steps or {}
        self._data = {
            self.step_key: draft.current_step or None,
            self.step_data_key: dict(stored.get("data", {})),
            # Mẫu 01 has no file fields; the key is kept because formtools reads it.
            self.step_files_key: {},
            self.extra_data_key: dict(stored.get("extra", {})),
        }
        # formtools changes the nested dicts in place, so changes are found by
        # comparing with what was loaded rather than by tracking every setter.
        self._loaded = copy.deepcopy(self._data)

    def _get_data(self) -> dict:
        return self._data

    def _set_data(self, value: dict) -> None:
        self._data = value

    data = property(_get_data, _set_data)

    def forget_step(self, step: str) -> None:
        """Drop everything stored for ``step`` (e.g. a conditional step no longer shown)."""
        self.data[self.step_data_key].pop(step, None)
        self.data[self.step_files_key].pop(step, None)

    def stored_steps(self) -> list[str]:
        """Names of the steps that have input stored in the draft."""
        return list(self._data[self.step_data_key])

    def save(self) -> None:
        """Write the state to the draft, unless the draft has been submitted meanwhile."""
        steps = {
            "data": self._data[self.step_data_key],
            "extra": self._data[self.extra_data_key],
        }
        current_step = self._data[self.step_key] or ""
        now = timezone.now()
        if self.draft._state.adding:
            # The first save of a draft a start view showed but had not made.
            self.draft.steps = steps
            self.draft.current_step = current_step
            self.draft.save(force_insert=True)
        else:
            # An UPDATE of these columns only: other columns (school, submission) may
            # have been changed by the wizard or by a concurrent request.
            WizardDraft.objects.filter(pk=self.draft.pk, submitted_at__isnull=True).update(
                steps=steps, current_step=current_step, updated_at=now
            )
        self.draft.steps = steps
        self.draft.current_step = current_step
        self.draft.updated_at = now
        self._loaded = copy.deepcopy(self._data)

    @property
    def changed(self) -> bool:
        return self._data != self._loaded

    def update_response(self, response) -> None:
        if self.changed:
            self.save()
        super().update_response(response)
