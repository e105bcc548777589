"""Public page types, snippets and media models.

The public side never imports ``forms_app``: nothing here can reach a case.
"""

from pages.models.campaigns import (
    CampaignIndexPage,
    CampaignMaterial,
    CampaignPage,
    CampaignStatus,
    MaterialFile,
    MaterialFormat,
    MaterialIndexPage,
    MaterialPage,
)
from pages.models.home import HomePage
from pages.models.hotlines import Hotline
from pages.models.media import SiteDocument, SiteImage, SiteRendition
from pages.models.plans import (
    DocumentKind,
    PlanAttachment,
    PlanIndexPage,
    PlanIndicator,
    PlanLegalBasis,
    PlanMilestone,
    PlanPage,
    PlanResponsibility,
)
from pages.models.standard import HotlineNoticePage, StandardPage
from pages.models.taxonomy import Audience, Topic
from pages.models.workflow import PrincipalApprovalTask

__all__ = [
    "Audience",
    "CampaignIndexPage",
    "CampaignMaterial",
    "CampaignPage",
    "CampaignStatus",
    "DocumentKind",
    "HomePage",
    "Hotline",
    "HotlineNoticePage",
    "MaterialFile",
    "MaterialFormat",
    "MaterialIndexPage",
    "MaterialPage",
    "PlanAttachment",
    "PlanIndexPage",
    "PlanIndicator",
    "PlanLegalBasis",
    "PlanMilestone",
    "PlanPage",
    "PlanResponsibility",
    "PrincipalApprovalTask",
    "SiteDocument",
    "SiteImage",
    "SiteRendition",
    "StandardPage",
    "Topic",
]
