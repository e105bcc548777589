"""The importer's admin screens: the document (file or text), then the review.

Screen 1 reads and checks the document and keeps it in a ``PlanImport`` row;
screen 2 shows each recognised value beside the line it came from, takes the
editor's corrections, and creates the draft page (``drafts.create_draft``), then
hands over to Wagtail's editor, where the school's review workflow applies as to
any page. Nothing of the document's text is logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from case_files import upload
from pages.models import PlanIndexPage
from pages.models.plans import KIND_LABELS
from pages.text import fold
from plan_import import policy
from plan_import.drafts import create_draft, match_legal_bases, unrecognised_heading
from plan_import.forms import Review, UploadForm
from plan_import.models import PlanImport, forget_stale
from plan_import.result import RecognisedPlan

# How much of a value is looked for in the text to find its line.
PROBE = 40
MAX_SOURCE_LINES = 3


def source_lines(text: str, value: str | None) -> list[str]:
    """The lines of ``text`` a recognised ``value`` was read from (at most three).

    Each line of the value is looked for by its beginning, without diacritics or
    case, since the recogniser may have joined, trimmed or re-cased it.
    """
    if not value or not text:
        return []
    # The extractor joins the cells of a table row with " | " (number | place and date).
    lines = [cell.strip() for line in text.splitlines() for cell in line.split(" | ")]
    lines = [line for line in lines if line]
    folded = [" ".join(fold(line).split()) for line in lines]
    found: list[str] = []
    for part in str(value).splitlines():
        probe = " ".join(fold(part).split())[:PROBE].strip(" -+.;:")
        if len(probe) < 2:
            continue
        for line, folded_line in zip(lines, folded, strict=True):
            if probe in folded_line and line not in found:
                found.append(line)
                break
        if len(found) >= MAX_SOURCE_LINES:
            break
    return found


def _start_url(index: PlanIndexPage) -> str:
    return reverse("plan_import:start", kwargs={"index_id": index.pk})


@csrf_exempt
@never_cache
def start(request: HttpRequest, index_id: int) -> HttpResponse:
    """Screen 1: the document, as a Word or PDF file or as pasted text.

    As for case files, CSRF is checked after the size-limiting upload handler is
    in place (the check reads the body, and the handler must see it first); the
    right to add a page under the index is checked before the body is read.
    """
    index = policy.index_or_404(request.user, index_id)
    upload.install(request)
    return _start(request, index)


@sensitive_post_parameters("text")
@csrf_protect
@require_http_methods(["GET", "POST"])
def _start(request: HttpRequest, index: PlanIndexPage) -> HttpResponse:
    if request.method != "POST":
        return _render_start(request, index, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_start(request, index, form, status=400)
    from plan_import.recognise import recognise

    data = form.cleaned_data
    plan = recognise(data["read_text"])
    forget_stale()
    row = PlanImport.objects.create(
        user=request.user,
        parent=index,
        file_name=data["name"],
        original=data["data"],
        text=data["read_text"],
        recognised=plan.as_json(),
    )
    return redirect("plan_import:review", pk=row.pk)


def _render_start(
    request: HttpRequest, index: PlanIndexPage, form: UploadForm, status: int = 200
) -> TemplateResponse:
    context = {"index": index, "form": form, "explore_url": _explore_url(index)}
    return TemplateResponse(request, "plan_import/start.html", context, status=status)


def _explore_url(index: PlanIndexPage) -> str:
    return reverse("wagtailadmin_explore", args=[index.pk])


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Screen 2: each value beside its source line; "Create draft" makes the page."""
    row = policy.import_or_404(request.user, pk)
    if row.status == PlanImport.Status.CREATED:
        return _to_created(request, row)
    stored = row.plan
    if request.method != "POST":
        return _render_review(request, row, stored, Review.of(stored))
    review_ = Review.of(stored, request.POST)
    if not review_.is_valid():
        return _render_review(request, row, stored, review_, status=400)
    plan = review_.reviewed(stored)
    with transaction.atomic():
        row = PlanImport.objects.select_for_update().get(pk=row.pk)
        if row.status == PlanImport.Status.CREATED:
            return _to_created(request, row)
        page = create_draft(
            plan, row.parent.specific, user=request.user, original=row.original_file
        )
        row.recognised = plan.as_json()
        row.status = PlanImport.Status.CREATED
        row.created_page = page
        # The file is now the page's signed original; the row keeps no second copy.
        row.original = None
        row.save(update_fields=["recognised", "status", "created_page", "original"])
    messages.success(request, _created_message(page))
    return redirect("wagtailadmin_pages:edit", page.pk)


def _created_message(page) -> str:
    """Says the draft was made, and names the button that sends it for review."""
    workflow = page.get_workflow()
    if workflow is None:
        return _("The draft “%(title)s” was created. Nothing is published yet.") % {
            "title": page.title
        }
    # Wagtail's own label of the button, so the message names what the editor sees.
    button = _("Submit to %(workflow_name)s") % {"workflow_name": workflow.name}
    return _(
        "The draft “%(title)s” was created. Check it, then press “%(button)s”: nothing is "
        "published until the school's leadership approves it."
    ) % {"title": page.title, "button": button}


def _to_created(request: HttpRequest, row: PlanImport) -> HttpResponse:
    if row.created_page_id:
        messages.info(request, _("This plan was already imported; here is its draft."))
        return redirect("wagtailadmin_pages:edit", row.created_page_id)
    return redirect(_start_url(row.parent))


def _render_review(
    request: HttpRequest,
    row: PlanImport,
    stored: RecognisedPlan,
    review_: Review,
    status: int = 200,
) -> TemplateResponse:
    text = row.text
    form = review_.form
    fields = [
        (form[name], source_lines(text, _shown_value(form, name, stored))) for name in form.fields
    ]
    # The place and the date are read off one line, which names the kind just above.
    exact = {"kind": _kind_lines(text, stored.kind)}
    if stored.date_text:
        exact.update(issue_date=[stored.date_text], issue_place=[stored.date_text])
    period = source_lines(text, stored.period_label)
    exact.update(period_start_year=period, period_end_year=period)
    fields = [(field, exact.get(field.name, lines)) for field, lines in fields]
    shown = review_.reviewed(stored) if review_.is_valid() else stored
    matched = match_legal_bases(shown, row.parent)
    bases = [
        (
            basis_form,
            [basis_form["source"].value()] if basis_form["source"].value() else [],
            matched[i] if i < len(matched) else None,
        )
        for i, basis_form in enumerate(review_.lists["bases"].forms)
    ]
    indicators = [
        (item, source_lines(text, item["description"].value()))
        for item in review_.lists["indicators"].forms
    ]
    milestones = [
        (item, source_lines(text, item["activities"].value()))
        for item in review_.lists["milestones"].forms
    ]
    context = {
        "row": row,
        "index": row.parent,
        "fields": fields,
        "form": form,
        "lists": review_.lists,
        "bases": bases,
        "indicators": indicators,
        "milestones": milestones,
        "plan": stored,
        "unrecognised_heading": unrecognised_heading(),
        "start_url": _start_url(row.parent),
        "explore_url": _explore_url(row.parent),
        "has_errors": status != 200,
    }
    return TemplateResponse(request, "plan_import/review.html", context, status=status)


def _kind_lines(text: str, kind: str) -> list[str]:
    """The line that names the document's kind ("KẾ HOẠCH"), if it stands alone."""
    label = fold(str(KIND_LABELS.get(kind, "")))
    lines = (line.strip() for line in text.splitlines())
    return next(([line] for line in lines if line and fold(line) == label), [])


def _shown_value(form, name: str, stored: RecognisedPlan) -> str:
    """The value whose source line is shown: as recognised, so a correction keeps its line."""
    if name == "recipients":
        return "\n".join(stored.recipients)
    value = getattr(stored, name, "")
    # The kind and years would "match" any line that mentions a plan or a year.
    unshown = ("kind", "issue_date", "period_start_year", "period_end_year")
    return "" if value is None or name in unshown else str(value)
