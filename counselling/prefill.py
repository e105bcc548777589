"""Mẫu 01 prefilled from a counselling session whose outcome is "referred to a case".

Written as ``concerns/prefill.py`` writes a concern's draft: each step's input under
``data[step]`` as the wizard stores it, so the wizard shows and checks it again. The
draft's ``source`` ("counselling:<entry id>") comes back with
``forms_app.signals.case_opened``, and :mod:`counselling.receivers` links the entry
to the case then. Only the source and learner steps are prefilled: the rest asks
questions the session did not answer.
"""

from django.utils import timezone

from counselling.models import CounsellingEntry
from forms_app.models import Gender, TemplateCode, WizardDraft
from forms_app.wizards.intake import IntakeWizard

SOURCE_PREFIX = "counselling:"

# How the session reached the school, in the words of Mẫu 01's first question.
INTAKE_CHANNEL: dict[str, str] = {
    CounsellingEntry.Form.ONLINE: "online",
    CounsellingEntry.Form.PHONE: "phone",
}


def source_for(entry: CounsellingEntry) -> str:
    """The draft's ``source``, which the case_opened receiver reads back."""
    return f"{SOURCE_PREFIX}{entry.pk}"


def _step(step: str, values: dict[str, str]) -> dict[str, list[str]]:
    return {f"{step}-{name}": [value] for name, value in values.items() if value is not None}


def intake_steps(entry: CounsellingEntry) -> dict:
    """The stored steps of a Mẫu 01 draft prefilled from ``entry``.

    Received on the session's day, at the time the entry was written (the case
    worker corrects it if the session was earlier): the referral clock runs from then.
    """
    written = timezone.localtime(entry.created_at) if entry.created_at else timezone.localtime()
    data = {
        "source": _step(
            "source",
            {
                "channel": INTAKE_CHANNEL.get(entry.form, "in_person"),
                "received_date": entry.held_on.strftime("%Y-%m-%d"),
                "received_time": written.strftime("%H:%M"),
                "school": str(entry.school_id),
            },
        )
    }
    learner = {
        "name": "",
        "learner_class": "",
        "gender": Gender.UNKNOWN,
        "place": "",
        "current_condition": entry.notes or "",
    }
    named = list(entry.learners.all()[:2])
    if len(named) == 1:
        listed = named[0]
        learner["name"] = listed.full_name or ""
        learner["learner_class"] = listed.class_name or ""
        learner["roll_learner"] = str(listed.pk)
        if listed.gender in Gender.values:
            learner["gender"] = listed.gender
    data["learner"] = _step("learner", learner)
    return {"data": data, "extra": {}}


def intake_draft(entry: CounsellingEntry, user) -> WizardDraft:
    """``user``'s unfinished Mẫu 01 draft from ``entry`` (a double click makes one), or a
    new one."""
    source = source_for(entry)
    draft = WizardDraft.objects.filter(
        owner=user, template=TemplateCode.INTAKE, source=source, submitted_at__isnull=True
    ).first()
    if draft is not None:
        return draft
    return WizardDraft.objects.create(
        owner=user,
        school=entry.school,
        template=TemplateCode.INTAKE,
        source=source,
        steps=intake_steps(entry),
        current_step=IntakeWizard.get_first_step(),
    )
