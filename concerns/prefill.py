"""Mẫu 01 prefilled from a concern: the draft a case worker opens a case with.

The draft's stored steps are written as the wizard itself stores them
(``forms_app.wizards.storage.DraftStorage``: each step's input under
``data[step]`` as ``{"<step>-<field>": [value]}``), so the wizard shows them as if
the case worker had typed them and checks them again on every step. Only steps
whose required questions are all answered here are prefilled (source, learner,
support so far, the informant's consent and details): a step prefilled in part
would greet the case worker with errors. The received time is the concern's, so
the referral clock runs from the moment the school knew.
"""

from django.utils import timezone
from django.utils.translation import gettext

from concerns.models import Channel, Concern, ConcernLearner
from forms_app.display import person_name
from forms_app.forms import YES
from forms_app.models import Gender, TemplateCode, WizardDraft
from forms_app.wizards.intake import IntakeWizard

# How the concern came in, in the words of Mẫu 01's first question.
INTAKE_CHANNEL: dict[str, str] = {
    Channel.STAFF: "reported_by_other",
    Channel.ONLINE: "online",
    Channel.PHONE: "phone",
    Channel.VISIT: "in_person",
    Channel.SUGGESTION_BOX: "mailbox",
    Channel.OTHER: "reported_by_other",
}
# The learner step's "where it happened" is one line; a longer "when and where"
# goes with the description instead of being cut.
PLACE_MAX_LENGTH = 255


def source_for(concern: Concern) -> str:
    """The draft's ``source``, which the case_opened receiver reads back."""
    return f"concern:{concern.pk}"


def _step(step: str, values: dict[str, str]) -> dict[str, list[str]]:
    return {f"{step}-{name}": [value] for name, value in values.items() if value is not None}


def intake_steps(concern: Concern, named: ConcernLearner | None = None) -> dict:
    """The stored steps of a Mẫu 01 draft prefilled from ``concern`` for ``named``."""
    received = timezone.localtime(concern.received_at)
    data = {
        "source": _step(
            "source",
            {
                "channel": INTAKE_CHANNEL.get(concern.channel, "reported_by_other"),
                "received_date": received.strftime("%Y-%m-%d"),
                "received_time": received.strftime("%H:%M"),
                "school": str(concern.school_id),
            },
        )
    }

    description = concern.what_happened or ""
    when_where = (concern.when_where or "").strip()
    place = ""
    if when_where and len(when_where) <= PLACE_MAX_LENGTH:
        place = when_where
    elif when_where:
        description = f"{description}\n\n{when_where}".strip()
    learner = {
        "name": "",
        "learner_class": "",
        "gender": Gender.UNKNOWN,
        "place": place,
        "current_condition": description,
    }
    if named is not None:
        if named.learner_id:
            listed = named.learner
            learner["name"] = listed.full_name or ""
            learner["learner_class"] = listed.class_name or ""
            if listed.gender in Gender.values:
                learner["gender"] = listed.gender
        else:
            learner["name"] = named.typed_name or ""
            learner["learner_class"] = named.typed_class or ""
    data["learner"] = _step("learner", learner)

    if concern.action_taken:
        data["support_so_far"] = _step("support_so_far", {"support_so_far": concern.action_taken})

    informant = informant_of(concern)
    if informant:
        # Whoever raised or telephoned it is known to the school already; the case
        # worker still answers the consent question and may change it.
        data["informant_consent"] = _step("informant_consent", {"consent": YES})
        data["informant"] = _step("informant", informant)
    return {"data": data, "extra": {}}


def informant_of(concern: Concern) -> dict[str, str]:
    """Who told the school, as Mẫu 01's informant step asks it ({} when nobody is known)."""
    if concern.channel == Channel.STAFF and concern.reporter_id:
        return {
            "name": person_name(concern.reporter),
            "relation": gettext("Staff member of the school"),
        }
    if concern.caller:
        return {"name": concern.caller}
    return {}


def intake_draft(concern: Concern, user, named: ConcernLearner | None = None) -> WizardDraft:
    """A Mẫu 01 draft of ``user`` prefilled from ``concern``: the one left unfinished
    for the same learner if there is one (a double click makes one draft), else a new one."""
    steps = intake_steps(concern, named)
    name = steps["data"]["learner"].get("learner-name", [""])[0]
    source = source_for(concern)
    for draft in WizardDraft.objects.filter(
        owner=user, template=TemplateCode.INTAKE, source=source, submitted_at__isnull=True
    ):
        if IntakeWizard.draft_learner(draft) == name.strip():
            return draft
    return WizardDraft.objects.create(
        owner=user,
        school=concern.school,
        template=TemplateCode.INTAKE,
        source=source,
        steps=steps,
        current_step=IntakeWizard.get_first_step(),
    )
