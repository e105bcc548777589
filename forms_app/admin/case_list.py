"""The case list: one query plan however many cases, and a search that never enters a URL."""

import functools

from django.contrib import messages
from django.contrib.admin.templatetags.admin_list import result_headers
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.db.models import Count, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.views import IndexView

from audit import log as audit_log
from audit.models import Action as AuditAction
from forms_app.admin.case_search import MAX_TERM_LENGTH, recall_search, remember_search
from forms_app.cases import policy
from forms_app.cases.todo import deadline_label
from forms_app.display import local_moment
from forms_app.models import (
    Case,
)
from forms_app.models.cases import LEARNER_FIELDS
from schools.roles import is_staff_only

# What a row shows ----------------------------------------------------------------


@functools.cache
def _choice_label(model: type[Model], name: str, value, language: str | None) -> str:
    """A choice's label in ``language``: translated once, not once per row of a list."""
    return str(dict(model._meta.get_field(name).flatchoices).get(value, value))


@functools.cache
def _deadline_label(code: str, language: str | None) -> str:
    return deadline_label(code)


@functools.cache
def overdue_label(language: str | None) -> SafeString:
    return format_html('<span class="w-status w-status--label">{}</span>', capfirst(_("overdue")))


def deadline_text(case: Case) -> str:
    """The case's next deadline with its kind in words: "05/03/2026 17:00 · Referral due"."""
    if case.next_deadline is None:
        return ""
    label = _deadline_label(case.next_deadline_label, translation.get_language())
    when = local_moment(case.next_deadline)
    return f"{when} · {label}" if label else when


# The case list ---------------------------------------------------------------------

SEARCH_GONE_MESSAGE = _(
    "This search has expired or was made by someone else, so the list shows every "
    "case. Search again with the search box."
)
SEARCH_IN_ADDRESS_MESSAGE = _(
    "A search written in the address is not used, because addresses are kept in the "
    "server's logs. Type the name or reference in the search box instead."
)
SEARCH_PLACEHOLDER = _("Reference or the learner's full name")


class CaseIndexView(IndexView):
    # Written against wagtail-modeladmin 2.5.0's IndexView: it overrides dispatch,
    # get_queryset and get_context_data and skips the parent's get_context_data, so a
    # new modeladmin that renames IndexView's attributes (params, PAGE_VAR, ORDER_VAR,
    # SEARCH_VAR, get_filters_params, paginator_class) breaks it. The tests that
    # would catch that: tests/forms_app/test_case_list_queries.py (the list's query
    # count and rows) and test_case_list_search.py (search, filters, ordering).
    """The case list; a search is written to the audit with its number of results only.

    Never the search term: it may be a child's name. One entry per school the
    user holds a case role at, so each principal reads their own school's count.
    For the same reason the term never enters a URL: the search form POSTs it,
    and the results are shown at ``?s=<id>`` (:mod:`forms_app.admin.case_search`).

    Builds its queryset and filters once per request and counts once (twice when
    filtered), where modeladmin's own view builds them twice and counts three
    times: the list must cost the same few queries with 20 cases or 20,000.
    """

    result_count: int | None = None

    # The search term never travels in the URL (see forms_app.admin.case_search): the
    # form POSTs it, and the list is shown at ?s=<id of the kept search>.
    SEARCH_ID_VAR = "s"
    IGNORED_PARAMS = (*IndexView.IGNORED_PARAMS, SEARCH_ID_VAR)
    # The longest value of a filter or ordering parameter carried over by a search.
    MAX_PARAM_LENGTH = 64

    search_term: str = ""

    @property
    def query(self) -> str:
        """The term of the kept search this page shows; modeladmin reads ``self.query``."""
        return self.search_term

    @query.setter
    def query(self, value: str) -> None:
        # modeladmin's dispatch sets it from ?q=, which this list never honours.
        pass

    def get_base_queryset(self, request: HttpRequest | None = None) -> QuerySet[Case]:
        return super().get_base_queryset(request).defer(*LEARNER_FIELDS)

    def get_queryset(self, request: HttpRequest | None = None) -> QuerySet[Case]:
        # dispatch() builds it; get_context_data() would build it (and every
        # filter's choices) a second time.
        if getattr(self, "queryset", None) is None:
            self.queryset = super().get_queryset(request)
        return self.queryset

    def is_narrowed(self) -> bool:
        """Whether a filter or a search narrows the list (so it may differ from all cases)."""
        return bool(self.get_filters_params()) or bool(" ".join(self.query.split()))

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not self.permission_helper.user_can_list(request.user):
            # A teacher is not told the case list exists (forms_app.wizards.forbidden).
            if is_staff_only(request.user):
                raise Http404
            raise PermissionDenied
        if request.method == "POST":
            return self.start_search(request)
        if self.SEARCH_VAR in request.GET:
            return self.refuse_term_in_url(request)
        search_id = request.GET.get(self.SEARCH_ID_VAR)
        if search_id is not None:
            term = recall_search(request.user, search_id)
            if term is None:
                messages.warning(request, SEARCH_GONE_MESSAGE)
                return redirect(self.list_url(request.GET, drop={self.SEARCH_ID_VAR}))
            self.search_term = term
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and self.query.strip():
            audit_log.record_counts(
                request, AuditAction.SEARCH, self.search_counts(), target="case-list"
            )
        return response

    def list_url(self, params: QueryDict, drop: set[str]) -> str:
        """The list's URL with ``params`` but those in ``drop``, always back on the first page."""
        kept = params.copy()
        for name in {*drop, self.PAGE_VAR}:
            kept.pop(name, None)
        query = kept.urlencode()
        return f"{self.index_url}?{query}" if query else self.index_url

    def kept_params(self, request: HttpRequest, data: QueryDict) -> QueryDict:
        """The filters and ordering a search form carried over, and nothing else.

        Only the list's own parameters go back into the URL, so nothing typed
        into a forged form field can reach an access log through the redirect.
        """
        names = {self.ORDER_VAR, self.ORDER_TYPE_VAR}
        fields = set()
        for spec in self.model_admin.get_list_filter(request):
            if isinstance(spec, str):
                fields.add(spec)
            elif isinstance(spec, tuple | list):
                fields.add(spec[0])
            else:
                names.add(spec.parameter_name)
        kept = QueryDict(mutable=True)
        for name, values in data.lists():
            if name in names or name.split("__")[0] in fields:
                kept.setlist(name, [v for v in values if len(v) <= self.MAX_PARAM_LENGTH])
        return kept

    def start_search(self, request: HttpRequest) -> HttpResponse:
        """Keep the POSTed term under a new search id and show the list at ``?s=<id>``.

        An empty term clears the search. The term is written nowhere but the
        encrypted cache entry: not the URL, not the audit (which records the
        number of results when the list is shown), not a log.
        """
        term = " ".join(request.POST.get(self.SEARCH_VAR, "").split())[:MAX_TERM_LENGTH]
        params = self.kept_params(request, request.POST)
        if term:
            params[self.SEARCH_ID_VAR] = remember_search(request.user, term)
        return redirect(self.list_url(params, drop=set()))

    def refuse_term_in_url(self, request: HttpRequest) -> HttpResponse:
        """A search term in the address (an old bookmark, a typed URL) is not searched.

        It has already reached the access logs by now; searching with it would
        keep such links in use. The list is shown without it, with a word on why.
        """
        if request.GET.get(self.SEARCH_VAR, "").strip():
            messages.warning(request, SEARCH_IN_ADDRESS_MESSAGE)
        return redirect(self.list_url(request.GET, drop={self.SEARCH_VAR}))

    def search_counts(self) -> dict[int, int]:
        """How many results the search found at each of the user's case schools."""
        school_ids = policy.case_school_ids(self.request.user)
        if len(school_ids) == 1 and self.result_count is not None:
            # Every result is of that school: the list's own count says it.
            return {school_id: self.result_count for school_id in school_ids}
        counts = dict.fromkeys(school_ids, 0)
        # One grouped count, however many results.
        found = (
            self.queryset.order_by()
            .values("school_id")
            .annotate(found=Count("pk", distinct=True))
            .values_list("school_id", "found")
        )
        for school_id, found_count in found:
            counts[school_id] = counts.get(school_id, 0) + found_count
        return counts

    def cell_value(self, case: Case, name: str):
        """The value of column ``name`` (a ``list_display`` entry) for ``case``."""
        attr = getattr(self.model_admin, name, None)
        if callable(attr):
            return attr(case)
        field = Case._meta.get_field(name)
        value = getattr(case, name)
        if field.choices:
            return _choice_label(field.model, name, value, translation.get_language())
        return value

    def case_row(self, case: Case, index: int, empty: str, buttons_in: str) -> SafeString:
        """One row of the list: the markup modeladmin's row templates make, built in Python.

        modeladmin renders an inclusion tag per row and another per cell, each
        copying the template context: most of the page's time with 50 rows.
        """
        cells = []
        for name in self.list_display:
            value = self.cell_value(case, name)
            content = empty if value is None or value == "" else value
            if name == buttons_in:
                primary = self.button_helper.get_primary_button(case)
                if primary and primary.get("url"):
                    content = format_html(
                        '<div class="title-wrapper"><a href="{}" title="{}">{}</a></div>',
                        primary["url"],
                        primary.get("title", ""),
                        content,
                    )
                buttons = self.get_buttons_for_obj(case)
                if buttons:
                    content = format_html(
                        '{}<ul class="actions">{}</ul>',
                        content,
                        format_html_join(
                            "",
                            '<li><a href="{}" class="{}" title="{}">{}</a></li>',
                            (
                                (b["url"], b["classname"], b.get("title", ""), b["label"])
                                for b in buttons
                            ),
                        ),
                    )
            cells.append((name, content))
        return format_html(
            '<tr class="{}" data-object-pk="{}">{}</tr>',
            "odd" if index % 2 == 0 else "even",
            case.pk,
            format_html_join("", '<td class="field-{} title">{}</td>', cells),
        )

    def get_context_data(self, **kwargs) -> dict:
        queryset = self.get_queryset()
        self.result_count = result_count = queryset.count()
        all_count = self.get_base_queryset().count() if self.is_narrowed() else result_count
        paginator = self.paginator_class(queryset, self.items_per_page)
        # Paginator.count is a cached property: the count above, not a third query.
        paginator.count = result_count
        try:
            page_obj = paginator.page(self.page_num)
        except InvalidPage:
            page_obj = paginator.page(1)
        empty = self.model_admin.get_empty_value_display()
        buttons_in = self.model_admin.get_list_display_add_buttons(self.request)
        context = {
            "all_count": all_count,
            "result_count": result_count,
            "paginator": paginator,
            "page_obj": page_obj,
            "elided_page_range": paginator.get_elided_page_range(self.page_num),
            "object_list": page_obj.object_list,
            "result_headers": list(result_headers(self)),
            "case_rows": [
                self.case_row(case, index, empty, buttons_in)
                for index, case in enumerate(page_obj.object_list)
            ],
            "user_can_create": self.permission_helper.user_can_create(self.request.user),
            "show_search": self.search_handler.show_search_form,
            "search_placeholder": SEARCH_PLACEHOLDER,
            # The filters and ordering the search form carries over; never a term.
            "search_kept_params": [
                (name, value)
                for name, values in self.params.lists()
                if name not in (self.SEARCH_VAR, self.SEARCH_ID_VAR)
                for value in values
            ],
            "clear_search_url": (
                self.list_url(self.params, drop={self.SEARCH_ID_VAR}) if self.query else ""
            ),
            **kwargs,
        }
        # Skips IndexView.get_context_data, which would count and filter again;
        # a case is not a page, so its page-model branch never applies.
        return super(IndexView, self).get_context_data(**context)
