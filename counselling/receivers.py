"""The counselling log's answer to the case area's ``case_opened`` signal.

A Mẫu 01 draft opened from a session ("counselling:12") links that session to the
new case once the wizard makes it; sent inside the transaction that makes the
case, so the link is made or undone with it.
"""

from django.dispatch import receiver

from counselling.models import CounsellingEntry
from counselling.prefill import SOURCE_PREFIX
from forms_app.models import Case
from forms_app.signals import case_opened


def entry_of(source: str) -> CounsellingEntry | None:
    """The entry a draft's ``source`` names, or ``None``."""
    if not source or not source.startswith(SOURCE_PREFIX):
        return None
    try:
        pk = int(source.removeprefix(SOURCE_PREFIX))
    except ValueError:
        return None
    return CounsellingEntry.objects.filter(pk=pk).first()


@receiver(case_opened, dispatch_uid="counselling.link_opened_case")
def link_opened_case(sender, case: Case, source: str = "", user=None, **kwargs) -> None:
    entry = entry_of(source)
    if entry is None or entry.school_id != case.school_id:
        return
    CounsellingEntry.objects.filter(pk=entry.pk).update(
        case=case, outcome=CounsellingEntry.Outcome.CASE
    )
    named = list(entry.learners.values_list("pk", flat=True)[:2])
    if case.learner_id is None and len(named) == 1:
        Case.objects.filter(pk=case.pk).update(learner=named[0])
        case.learner_id = named[0]
