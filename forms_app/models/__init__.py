"""The protected case area's data. Nothing in ``pages`` may import this package."""

from forms_app.models.calendar import CalendarException, SchoolCalendar
from forms_app.models.cases import Case, CaseEvent, CaseState, Gender
from forms_app.models.drafts import TemplateCode, WizardDraft
from forms_app.models.records import (
    Assessment,
    IntakeReport,
    InterventionPlan,
    Referral,
    Review,
)
from forms_app.models.reference import (
    ActivityPartner,
    IssueCategory,
    NeedDomain,
    RatingCriterion,
    ReceivingBody,
)

__all__ = [
    "ActivityPartner",
    "Assessment",
    "CalendarException",
    "Case",
    "CaseEvent",
    "CaseState",
    "Gender",
    "IntakeReport",
    "InterventionPlan",
    "IssueCategory",
    "NeedDomain",
    "RatingCriterion",
    "ReceivingBody",
    "Referral",
    "Review",
    "SchoolCalendar",
    "TemplateCode",
    "WizardDraft",
]
