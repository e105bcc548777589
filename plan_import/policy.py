"""Who may import a plan where: the one home of the importer's permission rule.

Importing is adding a page, so the question is Wagtail's own: may this user add a
page under this plan index (``can_add_subpage``)? Page permissions are granted per
school on the school's section of the tree (schools.roles), so an editor of one
school can never import into another's. An import in progress belongs to the
editor who uploaded it: nobody else sees it, not even an operator (it may hold a
document not yet meant for anyone). Whatever is refused is "not found" (404), so
the answer says nothing about what exists elsewhere.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404

from pages.models import PlanIndexPage, PlanPage
from plan_import.models import PlanImport


def may_import_into(user: AbstractBaseUser, index: PlanIndexPage) -> bool:
    """True when ``user`` may add a plan under ``index`` (and so import one there)."""
    return bool(
        user.is_authenticated
        and PlanPage.can_create_at(index)
        and index.permissions_for_user(user).can_add_subpage()
    )


def index_or_404(user: AbstractBaseUser, index_id: int) -> PlanIndexPage:
    index = PlanIndexPage.objects.filter(pk=index_id).first()
    if index is None or not may_import_into(user, index):
        raise Http404
    return index


def import_or_404(user: AbstractBaseUser, pk: int) -> PlanImport:
    """The user's own import, while they may still add pages where it goes."""
    found = PlanImport.objects.filter(pk=pk, user_id=user.pk).select_related("parent").first()
    if found is None or not may_import_into(user, found.parent):
        raise Http404
    return found
