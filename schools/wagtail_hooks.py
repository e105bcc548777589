"""Schools and districts in the Wagtail admin, under Settings."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from schools.admin_scope import SchoolScopedViewSetMixin
from schools.models import District, School


class SchoolInspectView(InspectView):
    """Shows a school's staff and their roles, which the edit form only offers as choices."""

    def get_memberships_display_value(self) -> str:
        memberships = self.object.memberships.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
        return (
            "; ".join(
                f"{m.user.get_full_name() or m.user.username} ({m.user.username}) — "
                f"{m.get_role_display()}"
                for m in memberships
            )
            or "—"
        )


class SchoolViewSet(SchoolScopedViewSetMixin, SnippetViewSet):
    """A school’s administrator sees and edits their own school; operators, every school."""

    model = School
    school_lookup = "pk"
    inspect_view_enabled = True
    inspect_view_class = SchoolInspectView
    inspect_view_fields = [
        "name",
        "code",
        "level",
        "district",
        "address",
        "phone",
        "hotline",
        "email",
        "root_page",
        "memberships",
    ]
    icon = "home"
    menu_label = _("Schools")
    list_display = ["name", "code", "level", "district"]
    list_filter = ["level", "district"]
    search_fields = ["name", "code"]


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = _("Districts")
    list_display = ["name", "code", "kind"]


class SchoolsGroup(SnippetViewSetGroup):
    items = (SchoolViewSet, DistrictViewSet)
    menu_icon = "group"
    menu_label = _("Schools")
    menu_name = "schools"


register_snippet(SchoolsGroup)
