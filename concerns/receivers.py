"""The front door's answers to the case area's signals.

``forms_app.signals.case_opened`` names the draft's source; when that is a concern
("concern:12"), the concern (and the learner it names whom the case is about) is
linked to the new case and is being handled from then on. Sent inside the
transaction that makes the case, so the link is made or undone with it.
"""

from django.dispatch import receiver

from concerns.decisions import link_case
from concerns.models import Concern, ConcernLearner
from forms_app.encryption import blind_index
from forms_app.models import Case
from forms_app.signals import case_opened

SOURCE_PREFIX = "concern:"


def concern_of(source: str) -> Concern | None:
    """The concern a draft's ``source`` names, or ``None``."""
    if not source or not source.startswith(SOURCE_PREFIX):
        return None
    try:
        pk = int(source.removeprefix(SOURCE_PREFIX))
    except ValueError:
        return None
    return Concern.objects.filter(pk=pk).select_related("school").first()


def learner_for_case(concern: Concern, case: Case) -> ConcernLearner | None:
    """Which learner named by ``concern`` the new case is about.

    The source names the concern only; the learner is the one not yet linked to a
    case who is the case's learner on the school's list, or has the case's name, or,
    failing both, the only one left without a case.
    """
    waiting = list(concern.learners.filter(case__isnull=True).select_related("learner"))
    if case.learner_id:
        for named in waiting:
            if named.learner_id == case.learner_id:
                return named
    index = case.learner_name_index
    if index:
        for named in waiting:
            name = named.learner.full_name if named.learner_id else named.typed_name
            if blind_index(name or "") == index:
                return named
    return waiting[0] if len(waiting) == 1 else None


@receiver(case_opened, dispatch_uid="concerns.link_opened_case")
def link_opened_case(sender, case: Case, source: str = "", user=None, **kwargs) -> None:
    concern = concern_of(source)
    if concern is None or concern.school_id != case.school_id:
        return
    named = learner_for_case(concern, case)
    if named is not None and named.learner_id and case.learner_id is None:
        # The case's own copy of the details stays as typed; the link to the list is added.
        Case.objects.filter(pk=case.pk).update(learner=named.learner_id)
        case.learner_id = named.learner_id
    link_case(concern, case, user, named)
