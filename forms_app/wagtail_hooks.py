"""The case area in the Wagtail admin: the case list and page, its menu, its dashboard panel.

Cases are listed with wagtail-modeladmin, whose views are narrowed to what
:mod:`forms_app.permissions` allows: a case of another school is a 404, never a
403, and nothing is deleted. Cases are opened through the intake wizard only,
which is where a case reference is made. The case page starts with the next
steps the user may take (``views_actions.case_actions``); the "Case records"
menu and the "Việc cần làm" dashboard panel are shown to case roles only. The
reference lists are snippets of their own.
"""

import datetime
import functools

from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter, display
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.db import transaction
from django.db.models import Count, Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.helpers import AdminURLHelper, ButtonHelper, PermissionHelper
from wagtail_modeladmin.helpers.search import BaseSearchHandler
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import EditView, IndexView, InspectView, ModelFormView

from audit import log as audit_log
from audit.access import can_read_audit
from audit.models import Action as AuditAction
from forms_app import permissions
from forms_app.case_search import MAX_TERM_LENGTH, recall_search, remember_search
from forms_app.models import (
    ActivityPartner,
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    IssueCategory,
    NeedDomain,
    RatingCriterion,
    ReceivingBody,
    Referral,
    Review,
    SchoolCalendar,
    TemplateCode,
)
from forms_app.models.cases import LEARNER_FIELDS
from forms_app.todo import TodoPanel, deadline_label
from forms_app.views_actions import case_actions
from schools.admin_scope import SchoolScopedViewSetMixin

INTAKE_START_URL_NAME = "forms_app:intake_start"


def intake_start_url() -> str | None:
    """Where a new case starts (the Mẫu 01 wizard), or None while that wizard is not installed."""
    try:
        return reverse(INTAKE_START_URL_NAME)
    except NoReverseMatch:
        return None


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _when(value: datetime.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.localize(value)


# Permissions, URLs, buttons, search ------------------------------------------


class CasePermissionHelper(PermissionHelper):
    """Answers modeladmin's questions from forms_app.permissions, not from model permissions."""

    def user_can_list(self, user) -> bool:
        return permissions.can_list_cases(user)

    def user_can_create(self, user) -> bool:
        if intake_start_url() is None:
            return False
        # Anyone holding a case role at some school may open a case there
        # (permissions.can_open_case); read from the roles cached on the user,
        # not from a query for the schools.
        return bool(permissions.case_school_ids(user))

    def user_can_inspect_obj(self, user, obj: Case) -> bool:
        return permissions.can_view_case(user, obj)

    def user_can_edit_obj(self, user, obj: Case) -> bool:
        return permissions.can_change_case(user, obj)

    def user_can_delete_obj(self, user, obj: Case) -> bool:
        return permissions.can_delete_case(user, obj)


class CaseURLHelper(AdminURLHelper):
    """Sends "add" to the intake wizard: only an intake report opens a case."""

    @property
    def create_url(self) -> str:
        return intake_start_url() or ""


# Stands for a case's id in an admin URL reversed once per list (CaseButtonHelper.action_url).
_PK_PLACEHOLDER = "__case_pk__"


class CaseButtonHelper(ButtonHelper):
    """Inspect first; the buttons' words translated once per list, not once per row."""

    @cached_property
    def _button_texts(self) -> dict[str, tuple[str, str]]:
        name = {"object": self.verbose_name}
        return {
            "inspect": (str(_("Inspect")), str(_("Inspect this %(object)s")) % name),
            "edit": (str(_("Edit")), str(_("Edit this %(object)s")) % name),
        }

    def action_url(self, action: str, pk) -> str:
        """The URL of ``action`` on case ``pk``, reversed once per list and filled in per row.

        A reverse() in the admin's URLconf costs more than the rest of a row.
        """
        patterns = self.__dict__.setdefault("_url_patterns", {})
        if action not in patterns:
            patterns[action] = self.url_helper.get_action_url(action, _PK_PLACEHOLDER)
        return patterns[action].replace(_PK_PLACEHOLDER, quote(str(pk)))

    def _button(self, action: str, pk, classnames: list[str], exclude) -> dict:
        label, title = self._button_texts[action]
        return {
            "url": self.action_url(action, pk),
            "label": label,
            "classname": self.finalise_classname(classnames, exclude or []),
            "title": title,
        }

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None) -> dict:
        classnames = self.inspect_button_classnames + (classnames_add or [])
        return self._button("inspect", pk, classnames, classnames_exclude)

    def edit_button(self, pk, classnames_add=None, classnames_exclude=None) -> dict:
        classnames = self.edit_button_classnames + (classnames_add or [])
        return self._button("edit", pk, classnames, classnames_exclude)

    def get_primary_button(self, obj: Case) -> dict | None:
        # Reading a case is the common task; editing is one click further.
        if self.permission_helper.user_can_inspect_obj(self.request.user, obj):
            return self.inspect_button(obj.pk)
        return super().get_primary_button(obj)


class CaseSearchHandler(BaseSearchHandler):
    """Finds a case by (part of) its reference, or by the learner's full name typed exactly.

    Names are encrypted, so a name is found through its keyed hash
    (``Case.learner_name_index``): letter case, diacritics and extra spaces do not
    matter ("nguyen van an" finds "Nguyễn Văn An"), and a fragment of a name finds
    nothing, so the list cannot be browsed for a child by guessing letters.
    """

    def search_queryset(self, queryset: QuerySet[Case], search_term: str, **kwargs) -> QuerySet:
        term = " ".join(search_term.split())
        if not term:
            return queryset
        return queryset.filter(Q(reference__icontains=term) | Case.name_lookup(term))


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
        assigned = permissions.cases_for(request.user).filter(assigned_worker_id=OuterRef("pk"))
        workers = (
            get_user_model()
            .objects.filter(Exists(assigned))
            .only("username", "first_name", "last_name")
            .order_by("last_name", "first_name", "username")
        )
        return [(user.pk, _who(user)) for user in workers]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(assigned_worker_id=int(value))
        return queryset


# Editing ------------------------------------------------------------------------


class CaseEditForm(WagtailAdminModelForm):
    """The learner's details and the assignment; state, school and deadlines move elsewhere."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance
        if "assigned_worker" in self.fields:
            field = self.fields["assigned_worker"]
            field.queryset = get_user_model().objects.filter(
                Q(pk__in=permissions.case_staff(case.school).values("pk"))
                | Q(pk=case.assigned_worker_id)
            )
            field.label_from_instance = _who
        if "categories" in self.fields and case.pk:
            self.fields["categories"].queryset = IssueCategory.objects.filter(
                Q(active=True) | Q(pk__in=case.categories.values("pk"))
            )


class CaseEditView(EditView):
    """The learner's details and the assignment; every opening and change is audited."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # Reached only once modeladmin has checked the case may be changed; the
        # form shows the child's details, so showing it is a read.
        if request.method == "GET" and response.status_code == 200:
            audit_log.record(
                request,
                AuditAction.VIEW,
                case=self.instance,
                target=f"case-edit:{self.instance.pk}",
            )
        return response

    def get_success_url(self) -> str:
        return self.url_helper.get_action_url("inspect", self.pk_quoted)

    def form_valid(self, form: CaseEditForm) -> HttpResponse:
        changed = list(form.changed_data)
        # Skip modeladmin's log entry: the case keeps its own timeline, and
        # Wagtail's site history is readable by people who may not read cases.
        response = ModelFormView.form_valid(self, form)
        if changed:
            # Which fields changed, by name: never their old or new values.
            audit_log.record(
                self.request,
                AuditAction.CHANGE,
                case=self.instance,
                target=f"case:{self.instance.pk}",
                detail="fields: " + ", ".join(changed),
            )
            CaseEvent.objects.create(
                case=self.instance,
                actor=self.request.user,
                kind=(
                    CaseEvent.Kind.ASSIGNMENT
                    if "assigned_worker" in changed
                    else CaseEvent.Kind.NOTE
                ),
                note=", ".join(str(form.fields[name].label) for name in changed),
            )
        return response


# Reading --------------------------------------------------------------------------


def _describe(obj: Model, names: list[str]) -> SafeString:
    """The named fields of a record as "label: value" pairs joined by " · ", empty ones left out."""
    parts = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
        if value is None or value == "":
            continue
        if isinstance(value, get_user_model()):
            value = _who(value)
        elif isinstance(value, InterventionPlan):
            value = f"v{value.version}"
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif isinstance(value, datetime.date):
            value = _when(value)
        parts.append((capfirst(field.verbose_name), value))
    return format_html_join(" · ", "{}: {}", parts)


def _record_links(code: str, record: Model) -> SafeString | str:
    """Links to the printable layout and the PDF of a record, when those views are installed."""
    links = []
    for name, label in (("forms_app:record_print", _("Print")), ("forms_app:record_pdf", "PDF")):
        try:
            url = reverse(name, args=[code, record.pk])
        except NoReverseMatch:
            continue
        links.append((url, label, f"{record._meta.verbose_name} · {_when(record.created_at)}"))
    if not links:
        return ""
    return format_html(
        " · {}",
        format_html_join(" · ", '<a href="{}">{}<span class="w-sr-only"> · {}</span></a>', links),
    )


def _record_list(
    records: list[Model], names: list[str], empty: str, code: str | None = None
) -> SafeString | str:
    if not records:
        return empty
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} · {} · {}{}</li>",
            (
                (
                    _when(record.created_at),
                    _who(record.author),
                    _describe(record, [*names, "template_version", "legal_basis"]),
                    _record_links(code, record) if code else "",
                )
                for record in records
            ),
        ),
    )


def audit_trail_url(user, case: Case) -> str | None:
    """The case's access log, for those who may read its school's audit (see audit.access)."""
    if not can_read_audit(user, case.school_id):
        return None
    try:
        return reverse("audit:case_trail", args=[case.pk])
    except NoReverseMatch:
        return None


@functools.cache
def _choice_label(model: type[Model], name: str, value, language: str | None) -> str:
    """A choice's label in ``language``: translated once, not once per row of a list."""
    return str(dict(model._meta.get_field(name).flatchoices).get(value, value))


@functools.cache
def _deadline_label(code: str, language: str | None) -> str:
    return deadline_label(code)


@functools.cache
def _overdue_label(language: str | None) -> SafeString:
    return format_html('<span class="w-status w-status--label">{}</span>', capfirst(_("overdue")))


def _deadline_text(case: Case) -> str:
    """The case's next deadline with its kind in words: "05/03/2026 17:00 · Referral due"."""
    if case.next_deadline is None:
        return ""
    label = _deadline_label(case.next_deadline_label, translation.get_language())
    # "d/m/Y H:i" in strftime's words: formats.date_format costs more per row.
    when = timezone.localtime(case.next_deadline).strftime("%d/%m/%Y %H:%M")
    return f"{when} · {label}" if label else when


class CaseInspectView(InspectView):
    """A case's page: what the user can do next, its details, timeline and records.

    The next steps come first, because the page is where a worker or the
    principal lands after every form and every to-do item.
    """

    def get_field_display_value(self, field_name: str, field=None):
        value = getattr(self.instance, field_name, None)
        if field_name == "next_deadline":
            text = _deadline_text(self.instance)
            if not text:
                return self.model_admin.get_empty_value_display(field_name)
            if self.instance.is_overdue:
                return format_html(
                    '{} · <strong class="w-status w-status--label">{}</strong>',
                    text,
                    capfirst(_("overdue")),
                )
            return text
        if isinstance(value, get_user_model()):
            return _who(value)
        return super().get_field_display_value(field_name, field)

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # Reached only once modeladmin has checked the case may be read.
        if response.status_code == 200:
            audit_log.record(
                request, AuditAction.VIEW, case=self.instance, target=f"case:{self.instance.pk}"
            )
        return response

    def get_context_data(self, **kwargs) -> dict:
        kwargs.setdefault("case_actions", case_actions(self.request.user, self.instance))
        kwargs.setdefault("audit_trail_url", audit_trail_url(self.request.user, self.instance))
        return super().get_context_data(**kwargs)

    def get_fields_dict(self) -> list[dict]:
        case = self.instance
        empty = self.model_admin.get_empty_value_display()
        events = CaseEvent.objects.filter(case=case).select_related("actor")
        intake = IntakeReport.objects.filter(case=case).select_related("author")
        assessments = Assessment.objects.filter(case=case).select_related("author")
        plans = InterventionPlan.objects.filter(case=case).select_related("author", "decided_by")
        reviews = Review.objects.filter(case=case).select_related("author", "plan")
        referrals = Referral.objects.filter(case=case).select_related("author", "receiving_body")

        sections = [
            (CaseEvent._meta.verbose_name_plural, self.timeline(list(events), empty)),
            (
                IntakeReport._meta.verbose_name,
                _record_list(
                    list(intake),
                    ["received_at", "urgency", "referral_suggested", "informant_consented"],
                    empty,
                    TemplateCode.INTAKE,
                ),
            ),
            (
                Assessment._meta.verbose_name_plural,
                _record_list(list(assessments), ["conclusion"], empty, TemplateCode.ASSESSMENT),
            ),
            (
                InterventionPlan._meta.verbose_name_plural,
                _record_list(
                    list(plans),
                    [
                        "version",
                        "status",
                        "period_start",
                        "period_end",
                        "review_date",
                        "submitted_at",
                        "approval_due_at",
                        "decided_by",
                        "decided_at",
                    ],
                    empty,
                    TemplateCode.PLAN,
                ),
            ),
            (
                Review._meta.verbose_name_plural,
                _record_list(list(reviews), ["plan", "conclusion"], empty, TemplateCode.REVIEW),
            ),
            (
                Referral._meta.verbose_name_plural,
                _record_list(
                    list(referrals), ["receiving_body", "due_at", "sent_at", "consent_given"], empty
                ),
            ),
        ]
        return [
            *super().get_fields_dict(),
            *({"label": capfirst(label), "value": value} for label, value in sections),
        ]

    def timeline(self, events: list[CaseEvent], empty: str) -> SafeString | str:
        if not events:
            return empty
        rows = []
        for event in events:
            if event.to_state:
                change = format_html(
                    "{} → {}",
                    CaseState(event.from_state).label if event.from_state else "",
                    CaseState(event.to_state).label,
                )
            else:
                change = ""
            rows.append(
                (
                    timezone.localtime(event.at).isoformat(),
                    _when(event.at),
                    _who(event.actor),
                    event.get_kind_display(),
                    change,
                    event.note,
                )
            )
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                '<li><time datetime="{}">{}</time> · {} · {} {} {}</li>',
                rows,
            ),
        )


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
    """The case list; a search is written to the audit with its number of results only.

    Never the search term: it may be a child's name. One entry per school the
    user holds a case role at, so each principal reads their own school's count.
    For the same reason the term never enters a URL: the search form POSTs it,
    and the results are shown at ``?s=<id>`` (:mod:`forms_app.case_search`).

    Builds its queryset and filters once per request and counts once (twice when
    filtered), where modeladmin's own view builds them twice and counts three
    times: the list must cost the same few queries with 20 cases or 20,000.
    """

    result_count: int | None = None

    # The search term never travels in the URL (see forms_app.case_search): the
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
        school_ids = permissions.case_school_ids(self.request.user)
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


class CaseAdmin(ModelAdmin):
    model = Case
    menu_label = _("Case records")
    menu_icon = "clipboard-list"
    menu_order = 250
    # The list is one entry of the "Case records" submenu (see register_case_menu).
    add_to_admin_menu = False

    list_display = (
        "reference",
        "category_names",
        "state",
        "worker",
        "deadline",
        "overdue",
    )
    list_filter = ("state", CategoryFilter, AssignedWorkerFilter, OverdueFilter)
    list_per_page = 25
    # The learner's name is searched through its hash by CaseSearchHandler.
    search_fields = ("reference",)
    search_handler_class = CaseSearchHandler

    index_view_class = CaseIndexView
    # modeladmin's index with the rows built by CaseIndexView.case_row.
    index_template_name = "forms_app/case_index.html"
    inspect_view_enabled = True
    inspect_view_class = CaseInspectView
    inspect_template_name = "forms_app/case_inspect.html"
    inspect_view_fields = [
        "reference",
        "school",
        "state",
        "assigned_worker",
        "received_at",
        "next_deadline",
        "learner_name",
        "learner_birth_date",
        "learner_age_estimate",
        "learner_gender",
        "learner_class",
        "categories",
        "created_by",
        "created_at",
        "updated_at",
    ]
    # The case's own timeline is its history; Wagtail's log is not kept for cases.
    history_view_enabled = False
    edit_view_class = CaseEditView

    permission_helper_class = CasePermissionHelper
    url_helper_class = CaseURLHelper
    button_helper_class = CaseButtonHelper

    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("learner_name"), FieldPanel("learner_class")]),
            FieldRowPanel(
                [
                    FieldPanel("learner_birth_date"),
                    FieldPanel("learner_age_estimate"),
                    FieldPanel("learner_gender"),
                ]
            ),
            FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
            FieldPanel("assigned_worker"),
        ],
        base_form_class=CaseEditForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        queryset = (
            permissions.cases_for(request.user)
            .select_related("assigned_worker")
            # A plain list per case (see category_names): cheaper to read per row
            # than the related manager's queryset.
            .prefetch_related(Prefetch("categories", to_attr="category_list"))
        )
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    @display(description=Case._meta.get_field("categories").verbose_name)
    def category_names(self, obj: Case) -> str:
        categories = getattr(obj, "category_list", None)
        if categories is None:
            categories = obj.categories.all()
        return ", ".join(category.name for category in categories)

    @display(
        description=Case._meta.get_field("assigned_worker").verbose_name,
        ordering="assigned_worker__last_name",
    )
    def worker(self, obj: Case) -> str:
        return _who(obj.assigned_worker)

    @display(
        description=Case._meta.get_field("next_deadline").verbose_name, ordering="next_deadline"
    )
    def deadline(self, obj: Case) -> str:
        return _deadline_text(obj)

    @display(description=_("overdue"), ordering="next_deadline")
    def overdue(self, obj: Case) -> SafeString | str:
        # A label, not Django admin's boolean icon: that icon is a static file of
        # django.contrib.admin, which is not installed.
        if obj.is_overdue:
            return _overdue_label(translation.get_language())
        return ""

    # Every view of one case answers 404 for a case the user may not read, before
    # modeladmin's own checks (which would answer 403).
    def inspect_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        permissions.get_case_or_404(request.user, instance_pk)
        return super().inspect_view(request, instance_pk)

    def edit_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        permissions.get_case_or_404(request.user, instance_pk)
        return super().edit_view(request, instance_pk)

    def delete_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        permissions.get_case_or_404(request.user, instance_pk)
        return super().delete_view(request, instance_pk)

    def create_view(self, request: HttpRequest) -> HttpResponse:
        url = intake_start_url()
        if url is None:
            raise Http404("The intake wizard is not installed.")
        if not self.permission_helper.user_can_create(request.user):
            raise PermissionDenied
        return redirect(url)

    def register_indexing(self) -> None:
        # Wagtail's reference index would show case references in the "usage"
        # pages of categories and receiving bodies, which administrators read.
        pass


modeladmin_register(CaseAdmin)


# The case area in the admin menu and on the dashboard -----------------------------------


class CaseAreaMenuItem(MenuItem):
    """An entry of the "Case records" submenu, shown to case roles only."""

    def is_shown(self, request: HttpRequest) -> bool:
        return permissions.can_list_cases(request.user)


@hooks.register("register_admin_menu_item")
def register_case_menu() -> SubmenuMenuItem:
    """One "Case records" menu: the case list, a new intake, the to-do list, one's drafts.

    The submenu shows only when one of its entries does, so editors and
    administrators without a case role never see the case area in the menu.
    Called on the first request, when the URLconf is loaded.
    """
    entries = [
        ("case-list", _("All cases"), "forms_app_case_modeladmin_index", "list-ul"),
        ("case-intake", _("New intake"), INTAKE_START_URL_NAME, "plus"),
        ("case-todo", _("To do"), "forms_app:todo", "tasks"),
        ("case-drafts", _("My drafts"), "forms_app:drafts", "draft"),
    ]
    items = []
    for order, (name, label, url_name, icon) in enumerate(entries, start=1):
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            # A screen not installed (yet) must not take the whole admin menu down.
            continue
        items.append(CaseAreaMenuItem(label, url, name=name, icon_name=icon, order=order * 100))
    return SubmenuMenuItem(
        _("Case records"),
        Menu(items=items),
        name="case-records",
        icon_name=CaseAdmin.menu_icon,
        order=CaseAdmin.menu_order,
    )


@hooks.register("construct_homepage_panels")
def add_todo_panel(request: HttpRequest, panels: list) -> None:
    """Việc cần làm on the dashboard, for case workers and principals only."""
    if permissions.can_list_cases(request.user):
        panels.append(TodoPanel(request))


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


class CaseReferenceListsGroup(SnippetViewSetGroup):
    items = (
        IssueCategoryViewSet,
        RatingCriterionViewSet,
        NeedDomainViewSet,
        ReceivingBodyViewSet,
        ActivityPartnerViewSet,
        SchoolCalendarViewSet,
    )
    menu_icon = "list-ul"
    menu_label = _("Case reference lists")
    menu_name = "case-reference-lists"


register_snippet(CaseReferenceListsGroup)
