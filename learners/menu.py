"""The "Learners" entry of the "Case records" menu, shown to those who keep a school's list."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from learners.policy import can_list_learners


class LearnersMenuItem(MenuItem):
    """Shown to the school's case roles and administrator, as the screens are."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_list_learners(request.user)


def learners_menu_item() -> LearnersMenuItem:
    return LearnersMenuItem(
        _("Learners"), reverse("learners:list"), name="learners", icon_name="group", order=500
    )
