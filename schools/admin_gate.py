"""The admin's tenancy gate: an object of another school is not there at all (404).

Wagtail checks model permissions ("may this user change hotlines?") but not which
school a hotline, an account or a calendar belongs to. Each admin surface that holds
things of several schools registers here, with the queryset of what a user may
reach (from :mod:`schools.tenancy`); the gate then answers 404 for every URL of that
surface naming an object outside it — edit, delete, history, usage, inspect,
revisions, choosers and bulk actions alike, including views Wagtail adds later —
before the view runs. The surface's own listing uses the same queryset, so a list
never shows what its links would refuse.

Reports that summarise the whole deployment (site history, page types usage) are
the operators' only: they have no per-school filter to apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.admin.auth import permission_denied

from schools.tenancy import is_operator

Reach = Callable[[object], QuerySet]

# Wagtail views that add up the whole deployment, with no per-school filter.
OPERATOR_ONLY_VIEWS = frozenset(
    {
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:site_history_results",
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        # Wagtail's task chooser asks for no permission; tasks are set up by operators.
        "wagtailadmin_workflows:task_chooser",
        "wagtailadmin_workflows:task_chooser_results",
        "wagtailadmin_workflows:task_chooser_create",
        "wagtailadmin_workflows:task_chosen",
    }
)
# Whole namespaces that are the operators' only: the admin API's image and document
# lists answer every image and document of every school, whatever the collection.
OPERATOR_ONLY_NAMESPACES = frozenset(
    {
        "wagtailadmin_api:images",
        "wagtailadmin_api:documents",
    }
)

# Bulk actions only operators run, as (app label, model name, action): "assign role"
# puts accounts in any Django group, around the memberships that groups follow.
OPERATOR_ONLY_BULK_ACTIONS = frozenset({("auth", "user", "assign_role")})

# URL keyword arguments that name an object of a surface, unless it says otherwise.
OBJECT_KWARGS = ("pk",)


@dataclass(frozen=True)
class Surface:
    """One admin surface: its model, what a user may reach of it, and how URLs name it."""

    model: type[Model]
    reach: Reach
    kwargs: tuple[str, ...] = OBJECT_KWARGS

    def reachable(self, user: object) -> QuerySet:
        return self.reach(user)


_by_namespace: dict[str, Surface] = {}
_by_model: dict[type[Model], Surface] = {}


def register(
    model: type[Model], reach: Reach, *namespaces: str, kwargs: tuple[str, ...] = OBJECT_KWARGS
) -> Surface:
    """Put ``model``'s admin URLs behind the gate, by URL namespace or by full URL name.

    ``kwargs`` are the URL keyword arguments that carry the object's primary key.
    """
    surface = Surface(model, reach, kwargs)
    _by_model.setdefault(model, surface)
    for namespace in namespaces:
        _by_namespace[namespace] = surface
    return surface


def _check_bulk_action(request: HttpRequest, kwargs: dict) -> HttpResponse | None:
    key = (kwargs.get("app_label"), kwargs.get("model_name"), kwargs.get("action"))
    if key in OPERATOR_ONLY_BULK_ACTIONS and not is_operator(request.user):
        return permission_denied(request)
    try:
        model = apps.get_model(kwargs.get("app_label", ""), kwargs.get("model_name", ""))
    except LookupError:
        return
    surface = _by_model.get(model)
    if surface is None or is_operator(request.user):
        return
    ids = request.GET.getlist("id")
    if "all" in ids:
        # "Every item of the listing" is every item of the table to Wagtail.
        raise Http404
    wanted = {unquote(str(pk)) for pk in ids}
    reachable = {str(pk) for pk in surface.reachable(request.user).values_list("pk", flat=True)}
    if wanted - reachable:
        raise Http404
    return None


class TenancyGateMiddleware:
    """Answers 404 for another school's objects; refuses operator-only screens as Wagtail does.

    A refusal is Wagtail's own: back to the dashboard with "you do not have
    permission" in the user's language (a 403 to a script), not a bare 403 page.
    """

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        if match.view_name in OPERATOR_ONLY_VIEWS or match.namespace in OPERATOR_ONLY_NAMESPACES:
            if not is_operator(user):
                return permission_denied(request)
            return None
        if match.url_name == "wagtail_bulk_action":
            return _check_bulk_action(request, view_kwargs)
        surface = _by_namespace.get(match.namespace) or _by_namespace.get(match.view_name)
        if surface is None or is_operator(user):
            return None
        for name in surface.kwargs:
            if name in view_kwargs:
                pk = unquote(str(view_kwargs[name]))
                try:
                    found = surface.reachable(user).filter(pk=pk).exists()
                except (ValueError, TypeError):
                    found = False
                if not found:
                    raise Http404
        return None
