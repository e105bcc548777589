"""The wizards of the four official templates, one module each, and their registry.

``WIZARDS`` maps a template code to its wizard: the URLconf, the start view and
the drafts list all read it, so a template's wizard is added here and nowhere else.
"""

from forms_app.models import TemplateCode
from forms_app.wizards.assessment import AssessmentWizard
from forms_app.wizards.base import CaseRecordWizard, CaseWizard, forbidden
from forms_app.wizards.intake import IntakeWizard
from forms_app.wizards.plan import PlanWizard
from forms_app.wizards.review import ReviewWizard

WIZARDS: dict[str, type[CaseWizard]] = {
    TemplateCode.INTAKE: IntakeWizard,
    TemplateCode.ASSESSMENT: AssessmentWizard,
    TemplateCode.PLAN: PlanWizard,
    TemplateCode.REVIEW: ReviewWizard,
}

__all__ = [
    "WIZARDS",
    "AssessmentWizard",
    "CaseRecordWizard",
    "CaseWizard",
    "IntakeWizard",
    "PlanWizard",
    "ReviewWizard",
    "forbidden",
]
