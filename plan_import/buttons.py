"""The "Import from a Word or PDF file" button of a plan index, where plans are added."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.menus.pages import PageMenuItem

from pages.models import PlanIndexPage
from plan_import.policy import may_import_into


class ImportPlanButton(PageMenuItem):
    label = _("Import from a Word or PDF file")
    icon_name = "upload"
    # Just after Wagtail's "Add child page": 15 in a page's header, 8 in a listing's menu.
    priority = 16

    @property
    def url(self) -> str:
        return reverse("plan_import:start", kwargs={"index_id": self.page.pk})

    def is_shown(self, user) -> bool:
        return may_import_into(user, self.page)


def import_buttons(page, user, next_url=None, **kwargs) -> Iterator[PageMenuItem]:
    """For the hooks of a page's header (which names its view) and of its row in a listing."""
    if issubclass(page.specific_class or type(page), PlanIndexPage):
        yield ImportPlanButton(page=page, priority=16 if "view_name" in kwargs else 9)
