"""Schools and districts in the Wagtail admin, under Settings."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from schools import admin_gate
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
        "place_name",
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


# Pages, images and documents: each school's live in its own part of the tree and its
# own collection, guarded by Wagtail's page and collection permissions. The gate makes
# another school's page, image or document a 404 rather than a refusal, as for
# everything else of another school.
def _pages_reachable(user):
    from wagtail.models import Page

    return policy_registry.get_by_type(Page).explorable_instances(user)


def _media_reachable(model):
    def reachable(user):
        policy = policy_registry.get_by_type(model)
        collections = policy.collections_user_has_any_permission_for(
            user, ["add", "change", "delete", "choose"]
        )
        return model.objects.filter(collection__in=collections)

    return reachable


def _register_tree_and_media() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    admin_gate.register(
        Page,
        _pages_reachable,
        "wagtailadmin_pages",
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        "wagtailadmin_choose_page_child",
        kwargs=("page_id", "parent_page_id", "page_to_move_id", "destination_id", "pk"),
    )
    admin_gate.register(Page, _pages_reachable, "wagtailadmin_api:pages", kwargs=("pk",))
    image, document = get_image_model(), get_document_model()
    admin_gate.register(image, _media_reachable(image), "wagtailimages", kwargs=("image_id",))
    admin_gate.register(
        image,
        _media_reachable(image),
        "wagtailimages_chooser",
        "wagtailadmin_api:images",
        kwargs=("pk", "image_id"),
    )
    admin_gate.register(
        document, _media_reachable(document), "wagtaildocs", kwargs=("document_id", "doc_id")
    )
    admin_gate.register(
        document,
        _media_reachable(document),
        "wagtaildocs_chooser",
        "wagtailadmin_api:documents",
        kwargs=("pk",),
    )


_register_tree_and_media()
