"""The reference lists the case templates choose from, as snippets under one menu group.

Categories, rating criteria, need domains, activity partners and the counselling log's
content areas are shared by the
deployment; receiving bodies and working calendars belong to a school, so their
viewsets are scoped to the schools the user administers.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from counselling.models import CounsellingArea
from forms_app.models import (
    ActivityPartner,
    IssueCategory,
    NeedDomain,
    RatingCriterion,
    ReceivingBody,
    SchoolCalendar,
)
from schools.admin_scope import SchoolScopedViewSetMixin

# Reference lists --------------------------------------------------------------------


class ReferenceListViewSet(SnippetViewSet):
    """What the editable reference lists share in the admin; subclasses set model and icon."""

    list_display = ["name", "sort_order", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class IssueCategoryViewSet(ReferenceListViewSet):
    model = IssueCategory
    icon = "tag"


class RatingCriterionViewSet(ReferenceListViewSet):
    model = RatingCriterion
    icon = "table"
    list_display = ["name", "table", "sort_order", "active"]
    list_filter = ["table", "active"]
    ordering = ["table", "sort_order", "name"]


class NeedDomainViewSet(ReferenceListViewSet):
    model = NeedDomain
    icon = "help"


class ReceivingBodyViewSet(SchoolScopedViewSetMixin, ReferenceListViewSet):
    """A school's own referral bodies; the shared ones (school left empty) are the operators'."""

    model = ReceivingBody
    icon = "mail"
    list_display = ["name", "school", "phone", "active"]
    list_filter = ["school", "active"]
    search_fields = ["name", "phone"]


class ActivityPartnerViewSet(ReferenceListViewSet):
    model = ActivityPartner
    icon = "group"


class SchoolCalendarViewSet(SchoolScopedViewSetMixin, SnippetViewSet):
    """A calendar sets its school's case deadlines: only that school's administrator edits it."""

    model = SchoolCalendar
    icon = "calendar"
    list_display = ["school", "morning_start", "afternoon_end", "saturday_is_working_day"]
    list_filter = ["saturday_is_working_day"]


class CounsellingAreaViewSet(ReferenceListViewSet):
    """The content areas of the counselling log (Thông tư 18/2025 names seven)."""

    model = CounsellingArea
    icon = "tag"


class CaseReferenceListsGroup(SnippetViewSetGroup):
    items = (
        IssueCategoryViewSet,
        RatingCriterionViewSet,
        NeedDomainViewSet,
        ReceivingBodyViewSet,
        ActivityPartnerViewSet,
        CounsellingAreaViewSet,
        SchoolCalendarViewSet,
    )
    menu_icon = "list-ul"
    menu_label = _("Case reference lists")
    menu_name = "case-reference-lists"
