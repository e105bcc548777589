"""Tiếp nhận thông tin: the triage queue of a school's case roles, each item, its decisions,
and a call, visit or suggestion-box note logged by hand.

Every view asks ``concerns.policy`` first: a user without a case role at the
concern's school gets a 404, as for a case. Reading an item and every decision are
written to the access audit after that check; the queue shows no text of any
concern, so it decrypts nothing. A decision the concern's status does not allow
now is refused with the reason (``concerns.decisions``), and a form sent with
mistakes is shown again with what was typed.
"""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.admin import messages

from audit import log as audit_log
from audit.describe import describe_target
from audit.models import Action, AuditEntry
from case_files import storage as file_storage
from case_files.views import DOWNLOAD_CSP
from concerns import decisions
from concerns.forms.triage import (
    AttachForm,
    CloseForm,
    LogConcernForm,
    OpenCaseForm,
    QueueFilterForm,
    ReplyForm,
)
from concerns.models import Channel, Concern, ConcernLearner
from concerns.policy import get_concern_for_triage_or_404, triage_school_ids
from concerns.prefill import intake_draft
from concerns.triage import new_count, set_aside_count, triage_queue
from forms_app.display import local_moment, person_name
from forms_app.wizards.intake import IntakeWizard
from learners.models import Learner
from schools.models import School

PAGE_SIZE = 50
# The audit targets of an item's decisions, "<kind>:<concern id>"; their words are
# in audit.describe.TARGET_KINDS.
DECISION_KINDS: tuple[str, ...] = (
    "concern-open-case",
    "concern-attach",
    "concern-reply",
    "concern-close",
    "concern-reopen",
    "concern-release",
    "concern-keep-aside",
)


def _triage_schools(user):
    ids = triage_school_ids(user)
    if not ids:
        # Like a case: the front door's queue is not there for anyone else.
        raise Http404("No triage queue.")
    return School.objects.filter(pk__in=sorted(ids)).order_by("name")


def _item_url(concern: Concern) -> str:
    return reverse("triage:item", args=[concern.pk])


# The queue ----------------------------------------------------------------------------


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The concerns of the user's schools, urgent first then newest, a page at a time."""
    schools = list(_triage_schools(request.user))
    filters = QueueFilterForm(request.GET or None)
    wanted = filters.queue_filter()
    paginator = Paginator(triage_queue(request.user, wanted), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    names = {school.pk: school.name for school in schools}
    counts: dict[int, int] = {}
    for concern in page.object_list:
        counts[concern.school_id] = counts.get(concern.school_id, 0) + 1
        concern.school_name = names.get(concern.school_id, "")
        concern.received_text = local_moment(concern.received_at)
    if counts:
        audit_log.record_counts(request, Action.VIEW, counts, target="triage-queue", label="items")
    query = request.GET.copy()
    query.pop("p", None)
    tab_query = query.copy()
    tab_query.pop("aside", None)
    context = {
        "page": page,
        "filters": filters,
        "wanted": wanted,
        "several_schools": len(schools) > 1,
        "query": query.urlencode(),
        "main_tab_query": tab_query.urlencode(),
        "aside_tab_query": (tab_query.urlencode() + "&aside=on").lstrip("&"),
        "new_count": new_count(request.user),
        "aside_count": set_aside_count(request.user),
    }
    return TemplateResponse(request, "concerns/triage/queue.html", context)


# The item -----------------------------------------------------------------------------


def _waiting_learners(concern: Concern):
    return concern.learners.filter(case__isnull=True).select_related("learner")


def _item_context(request: HttpRequest, concern: Concern, **forms) -> dict:
    user = request.user
    waiting = _waiting_learners(concern)
    candidates = decisions.attach_candidates(user, concern)
    kinds = [f"{kind}:{concern.pk}" for kind in (*DECISION_KINDS, "concern")]
    trail = (
        AuditEntry.objects.filter(target__in=kinds).exclude(action=Action.VIEW).order_by("at", "pk")
    )
    context = {
        "concern": concern,
        "learners": concern.learners.select_related("learner", "case"),
        "attachments": concern.attachments.all(),
        "thread": concern.messages.select_related("author"),
        "trail": [
            {
                "at": local_moment(entry.at),
                "who": entry.actor_username,
                "what": describe_target(entry.target),
            }
            for entry in trail
        ],
        "received": local_moment(concern.received_at),
        "reporter": person_name(concern.reporter) if concern.reporter_id else "",
        "is_online": concern.channel == Channel.ONLINE,
        "refusals": {
            "open_case": decisions.refusal_open_case(concern, None),
            "attach": decisions.refusal_attach(concern),
            "reply": decisions.refusal_reply(concern),
            "close": decisions.refusal_close(concern),
            "reopen": decisions.refusal_reopen(concern),
            "release": decisions.refusal_release(concern),
            "keep_aside": decisions.refusal_keep_aside(concern),
        },
        "open_case_form": forms.get("open_case_form") or OpenCaseForm(waiting=waiting),
        "attach_form": forms.get("attach_form") or AttachForm(cases=candidates, waiting=waiting),
        "has_candidates": candidates.exists(),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "close_form": forms.get("close_form") or CloseForm(),
    }
    return context


def _render_item(request: HttpRequest, concern: Concern, status: int = 200, **forms):
    return TemplateResponse(
        request,
        "concerns/triage/item.html",
        _item_context(request, concern, **forms),
        status=status,
    )


@require_GET
@sensitive_variables()
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the concern holds, its learners, files, thread and the decisions taken."""
    concern = _get(request, pk)
    audit_log.record(
        request, Action.VIEW, school=concern.school_id, case=concern.case, target=f"concern:{pk}"
    )
    return _render_item(request, concern)


def _get(request: HttpRequest, pk: int) -> Concern:
    concern = get_concern_for_triage_or_404(request.user, pk)
    # Re-read with what the item page shows beside it.
    return Concern.objects.select_related("school", "reporter", "case", "handled_by").get(
        pk=concern.pk
    )


def _refuse(request: HttpRequest, concern: Concern, reason: str) -> HttpResponse:
    messages.error(request, reason)
    return redirect(_item_url(concern))


def _audit_decision(request: HttpRequest, concern: Concern, kind: str, case=None) -> None:
    audit_log.record(
        request,
        Action.CHANGE,
        school=concern.school_id,
        case=case if case is not None else concern.case,
        target=f"{kind}:{concern.pk}",
    )


# Decisions ----------------------------------------------------------------------------


@require_POST
@sensitive_post_parameters()
@sensitive_variables()
def open_case(request: HttpRequest, pk: int) -> HttpResponse:
    """A Mẫu 01 draft prefilled from the concern, for the learner chosen; then its wizard."""
    concern = _get(request, pk)
    if reason := decisions.refusal_open_case(concern, None):
        return _refuse(request, concern, reason)
    form = OpenCaseForm(request.POST, waiting=_waiting_learners(concern))
    if not form.is_valid():
        return _render_item(request, concern, status=400, open_case_form=form)
    named = form.cleaned_data.get("learner")
    if reason := decisions.refusal_open_case(concern, named):
        return _refuse(request, concern, reason)
    with transaction.atomic():
        draft = intake_draft(concern, request.user, named)
        _audit_decision(request, concern, "concern-open-case")
    step = draft.current_step or IntakeWizard.get_first_step()
    return redirect(IntakeWizard.step_url_name(), draft_id=draft.pk, step=step)


@require_POST
@sensitive_variables()
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the concern to an existing case of the same learner."""
    concern = _get(request, pk)
    if reason := decisions.refusal_attach(concern):
        return _refuse(request, concern, reason)
    form = AttachForm(
        request.POST,
        cases=decisions.attach_candidates(request.user, concern),
        waiting=_waiting_learners(concern),
    )
    if not form.is_valid():
        return _render_item(request, concern, status=400, attach_form=form)
    case = form.cleaned_data["case"]
    with transaction.atomic():
        decisions.link_case(concern, case, request.user, form.cleaned_data.get("learner"))
        _audit_decision(request, concern, "concern-attach", case=case)
    messages.success(
        request,
        gettext("The concern has been added to case %(reference)s.")
        % {"reference": case.reference},
    )
    return redirect(_item_url(concern))


@require_POST
@sensitive_post_parameters()
@sensitive_variables()
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A reply the help request's sender reads with their code and secret."""
    concern = _get(request, pk)
    if reason := decisions.refusal_reply(concern):
        return _refuse(request, concern, reason)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _render_item(request, concern, status=400, reply_form=form)
    with transaction.atomic():
        decisions.reply(concern, request.user, form.cleaned_data["text"])
        _audit_decision(request, concern, "concern-reply")
    messages.success(request, gettext("Your reply has been sent."))
    return redirect(_item_url(concern))


@require_POST
@sensitive_post_parameters()
@sensitive_variables()
def close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _get(request, pk)
    if reason := decisions.refusal_close(concern):
        return _refuse(request, concern, reason)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _render_item(request, concern, status=400, close_form=form)
    with transaction.atomic():
        decisions.close(
            concern, request.user, form.cleaned_data["reason"], form.cleaned_data["note"]
        )
        _audit_decision(request, concern, "concern-close")
    messages.success(request, gettext("The concern has been closed."))
    return redirect(_item_url(concern))


def _simple_decision(kind: str, refusal, change, done_message: str):
    """A decision without a form: check, change, audit, say so."""

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        concern = _get(request, pk)
        if reason := refusal(concern):
            return _refuse(request, concern, reason)
        with transaction.atomic():
            change(concern, request.user)
            _audit_decision(request, concern, kind)
        messages.success(request, gettext(done_message))
        return redirect(_item_url(concern))

    view.__name__ = kind.replace("-", "_")
    view.__doc__ = f"The decision {kind!r} on one concern (POST)."
    return view


reopen = _simple_decision(
    "concern-reopen",
    decisions.refusal_reopen,
    decisions.reopen,
    gettext_noop("The concern has been re-opened."),
)
release = _simple_decision(
    "concern-release",
    decisions.refusal_release,
    decisions.release,
    gettext_noop("The concern is back in the queue."),
)
keep_aside = _simple_decision(
    "concern-keep-aside",
    decisions.refusal_keep_aside,
    decisions.keep_aside,
    gettext_noop("The concern stays set aside and has been closed."),
)


# Files --------------------------------------------------------------------------------


@require_GET
def attachment(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """A file sent with the concern, decrypted for those who receive the concern."""
    concern = get_concern_for_triage_or_404(request.user, pk)
    sent = get_object_or_404(concern.attachments.all(), pk=file_pk)
    data = file_storage.read_blob(sent.blob)
    audit_log.record(
        request,
        Action.DOWNLOAD,
        school=concern.school_id,
        case=concern.case,
        target=f"concern-file:{sent.pk}",
    )
    response = HttpResponse(data, content_type=sent.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"thong-tin-{concern.pk}-{sent.pk}.{sent.extension}"
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# Logged by hand -----------------------------------------------------------------------


def _name_learners(concern: Concern, named: list[tuple[str, str]]) -> None:
    """Each typed learner, linked to the school's list when exactly one learner there
    has that name (and class, when given); typed as given otherwise."""
    for name, class_name in named:
        found = Learner.objects.filter(Learner.named(name), school_id=concern.school_id)
        if class_name:
            found = found.filter(class_name__iexact=class_name)
        matches = list(found[:2])
        if len(matches) == 1:
            ConcernLearner.objects.create(concern=concern, learner=matches[0])
        else:
            ConcernLearner.objects.create(concern=concern, typed_name=name, typed_class=class_name)


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
@sensitive_variables()
def log(request: HttpRequest) -> HttpResponse:
    """A call (from 111, a parent, the commune), a visit or a suggestion-box note, written down."""
    schools = _triage_schools(request.user)
    form = LogConcernForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            concern = Concern.objects.create(
                school=data["school"],
                channel=data["channel"],
                caller=data["caller"],
                received_at=data["received_at"],
                what_happened=data["what_happened"],
                when_where=data["when_where"],
                urgent=data["urgent"],
                reporter=request.user,
            )
            _name_learners(concern, data["learners"])
            audit_log.record(
                request, Action.CREATE, school=concern.school_id, target=f"concern:{concern.pk}"
            )
        messages.success(request, gettext("The information has been recorded in the queue."))
        return redirect(_item_url(concern))
    return TemplateResponse(
        request,
        "concerns/triage/log.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
