"""The case list's filters: overdue, category, assigned case worker."""

from django.contrib.admin import SimpleListFilter
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.cases import policy
from forms_app.display import person_name
from forms_app.models import (
    Case,
    IssueCategory,
)

# List filters -----------------------------------------------------------------


class OverdueFilter(SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(next_deadline__lt=now)
        if self.value() == "no":
            return queryset.exclude(next_deadline__lt=now)
        return queryset


CATEGORY_CHOICES_KEY = "forms_app:category-choices"


def category_choices() -> list[tuple[int, str]]:
    """(id, name) of every issue category, kept in the shared cache.

    Every load of the case list shows them as a filter; the list changes only
    when an administrator edits it, which drops the kept copy
    (:func:`forget_category_choices`, connected in ``FormsAppConfig.ready``).
    """
    choices = cache.get(CATEGORY_CHOICES_KEY)
    if choices is None:
        choices = list(IssueCategory.objects.values_list("pk", "name"))
        cache.set(CATEGORY_CHOICES_KEY, choices, 24 * 60 * 60)
    return choices


def forget_category_choices(**kwargs) -> None:
    """Drop the kept category choices once an edit of the list is committed."""
    transaction.on_commit(lambda: cache.delete(CATEGORY_CHOICES_KEY))


def forget_category_choices_after_outage(**kwargs) -> None:
    """Drop the kept choices when Redis answers again after an outage.

    An edit made while Redis was away could not drop them, and Redis may have kept
    the old list through the outage: without this, the filter would show it for up
    to a day (``config.cache.cache_recovered``). If Redis fails again here, the
    process's breaker stays open and this runs again at the next recovery.
    """
    cache.delete(CATEGORY_CHOICES_KEY)


class CategoryFilter(SimpleListFilter):
    # Django's related-field filter needs django.contrib.admin's site, not installed here.
    title = Case._meta.get_field("categories").verbose_name
    parameter_name = "category"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[int, str]]:
        return category_choices()

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if value and value.isdigit():
            # A subquery rather than a join: no duplicate rows, so no DISTINCT
            # over every case of the school for the count and the page.
            tagged = Case.categories.through.objects.filter(issuecategory_id=int(value))
            return queryset.filter(pk__in=tagged.values("case_id"))
        return queryset


class AssignedWorkerFilter(SimpleListFilter):
    """Case workers of the user's own cases only; a related-field filter would list every user."""

    title = Case._meta.get_field("assigned_worker").verbose_name
    parameter_name = "worker"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[int, str]]:
        # EXISTS per user (an index lookup on the assignment) rather than
        # "id IN (the worker of every case)", which reads all the school's cases.
        assigned = policy.cases_for(request.user).filter(assigned_worker_id=OuterRef("pk"))
        workers = (
            get_user_model()
            .objects.filter(Exists(assigned))
            .only("username", "first_name", "last_name")
            .order_by("last_name", "first_name", "username")
        )
        return [(user.pk, person_name(user)) for user in workers]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(assigned_worker_id=int(value))
        return queryset
