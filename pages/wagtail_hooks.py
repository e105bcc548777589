"""Snippets of the public site in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from pages.models import Audience, Hotline, Topic
from schools.admin_scope import SchoolScopedViewSetMixin


class HotlineViewSet(SchoolScopedViewSetMixin, SnippetViewSet):
    """A school's administrator sees their own school's lines; operators see every line."""

    model = Hotline
    icon = "mobile-alt"
    menu_label = _("Hotlines")
    list_display = ["number", "name", "scope", "school", "hours", "active"]
    list_filter = ["scope", "school", "active"]
    search_fields = ["number", "name"]
    ordering = ["sort_order", "number"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Audiences")
    list_display = ["name", "code", "sort_order"]


class PublicSiteGroup(SnippetViewSetGroup):
    items = (HotlineViewSet, TopicViewSet, AudienceViewSet)
    menu_icon = "site"
    menu_label = _("Public site data")
    menu_name = "public-site-data"


register_snippet(PublicSiteGroup)
