"""The staff side of the front door: raise a concern, and read back one's own.

Any member of a school's staff (``concerns.policy.can_raise``) writes what they saw;
afterwards they read only what they wrote, its status and their own follow-up notes:
never the case, its reference or the team's notes. Someone else's concern is a 404.
Every read and write is audited after the permission check.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.admin import messages

from audit import log as audit
from audit.models import Action
from case_files import storage, upload
from case_files.validation import CheckedFile
from concerns import policy
from concerns.forms.staff import (
    NOT_SURE,
    ConcernForm,
    FollowUpForm,
    LearnerFormSet,
    NamedLearner,
    choice_labels,
    match_learners,
)
from concerns.models import (
    Channel,
    Concern,
    ConcernAttachment,
    ConcernLearner,
    ConcernMessage,
)
from schools.models import School

__all__ = ["concern_detail", "concern_sent", "my_concerns", "raise_concern"]

LEARNERS_PREFIX = "learners"
ADD_LEARNER = "add_learner"


def _schools_or_404(request: HttpRequest) -> list[School]:
    schools = list(policy.raising_schools(request.user))
    if not schools:
        # Nobody's front door but the school's staff: the screen is not there.
        raise Http404
    return schools


def _as_typed(data) -> tuple[dict, list[dict]]:
    """What was posted, as initial values of unbound forms with one more learner row.

    A new row is not a submission: the forms are shown again as typed, without
    any mistake marked yet.
    """
    form = {name: data.get(name, "") for name in ConcernForm.base_fields if name != "attachment"}
    form["urgent"] = bool(data.get("urgent"))
    try:
        total = int(data.get(f"{LEARNERS_PREFIX}-TOTAL_FORMS", "1"))
    except ValueError:
        total = 1
    total = max(1, min(total, LearnerFormSet.max_num))
    fields = ("name", "class_name", "role", "learner")
    rows = [
        {
            name: value
            for name in fields
            if (value := data.get(f"{LEARNERS_PREFIX}-{index}-{name}", ""))
        }
        for index in range(total)
    ]
    if total < LearnerFormSet.max_num:
        rows.append({})
    return form, rows


def save_concern(
    user,
    school: School,
    form: ConcernForm,
    rows: list[NamedLearner],
) -> Concern:
    """Create the concern, its learners and its file in one transaction."""
    checked: CheckedFile | None = form.cleaned_data.get("attachment")
    blob = storage.write_blob(checked.data) if checked else ""
    try:
        with transaction.atomic():
            concern = Concern.objects.create(
                school=school,
                channel=Channel.STAFF,
                reporter=user,
                received_at=timezone.now(),
                urgent=form.cleaned_data["urgent"],
                what_happened=form.cleaned_data["what_happened"],
                when_where=form.cleaned_data["when_where"],
                action_taken=form.cleaned_data["action_taken"],
            )
            ConcernLearner.objects.bulk_create(
                ConcernLearner(
                    concern=concern,
                    learner=row.learner,
                    typed_name=row.typed_name,
                    typed_class=row.typed_class,
                    role=row.role,
                )
                for row in rows
            )
            if checked:
                attachment = ConcernAttachment(
                    concern=concern,
                    content_type=checked.content_type,
                    extension=checked.extension,
                    size=checked.size,
                    sha256=checked.sha256,
                    blob=blob,
                    uploaded_by=user,
                )
                attachment.original_name = form.original_name
                attachment.save()
    except BaseException:
        storage.delete_blob(blob)
        raise
    return concern


@csrf_exempt
@never_cache
def raise_concern(request: HttpRequest) -> HttpResponse:
    """The form (GET) and its submission (POST).

    As for case files, CSRF is checked after the size-limiting upload handler is in
    place (the check reads the body, and the handler must see it first); the user's
    right to raise is checked before the body is read.
    """
    schools = _schools_or_404(request)
    upload.install(request)
    return _raise_concern(request, schools)


@sensitive_post_parameters()
@sensitive_variables()
@csrf_protect
@require_http_methods(["GET", "POST"])
def _raise_concern(request: HttpRequest, schools: list[School]) -> HttpResponse:
    file_again = False
    if request.method == "POST":
        if ADD_LEARNER in request.POST:
            typed, typed_rows = _as_typed(request.POST)
            form = ConcernForm(initial=typed, schools=schools)
            learners = LearnerFormSet(initial=typed_rows, prefix=LEARNERS_PREFIX)
            file_again = bool(request.FILES)
        else:
            form = ConcernForm(request.POST, request.FILES, schools=schools)
            learners = LearnerFormSet(request.POST, prefix=LEARNERS_PREFIX)
            if form.is_valid() and learners.is_valid():
                school = form.cleaned_data["school"]
                rows = match_learners(learners, school)
                if rows is not None:
                    concern = save_concern(request.user, school, form, rows)
                    audit.record(
                        request,
                        Action.CREATE,
                        school=school,
                        target=f"concern:{concern.pk}",
                        detail="urgent" if concern.urgent else "",
                    )
                    return redirect("concerns:sent", pk=concern.pk)
            file_again = bool(request.FILES) and not form.errors.get("attachment")
    else:
        form = ConcernForm(schools=schools)
        learners = LearnerFormSet(prefix=LEARNERS_PREFIX)
    rows = [
        {"form": row, "choices": choice_labels(row.matches) if row.matches else []}
        for row in learners.forms
    ]
    context = {
        "form": form,
        "learners": learners,
        "rows": rows,
        "add_learner": ADD_LEARNER,
        "can_add": len(learners.forms) < LearnerFormSet.max_num,
        "not_sure": NOT_SURE,
        "file_again": file_again,
        "several_schools": len(schools) > 1,
    }
    return TemplateResponse(request, "concerns/staff/raise.html", context)


@require_safe
@never_cache
def concern_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """What the reporter sees once it is sent: received, and 111/113 when urgent."""
    concern = policy.get_own_concern_or_404(request.user, pk)
    audit.record(request, Action.VIEW, school=concern.school_id, target=f"concern:{concern.pk}")
    return TemplateResponse(request, "concerns/staff/sent.html", {"concern": concern})


@require_safe
@never_cache
def my_concerns(request: HttpRequest) -> HttpResponse:
    """ "Thông tin tôi đã gửi": the user's own concerns, their date and status only."""
    if not policy.raising_school_ids(request.user) and not policy.own_concerns(request.user):
        raise Http404
    concerns = list(
        policy.own_concerns(request.user).select_related("school").order_by("-received_at", "-pk")
    )
    counts: dict[int, int] = {}
    for concern in concerns:
        counts[concern.school_id] = counts.get(concern.school_id, 0) + 1
    audit.record_counts(request, Action.VIEW, counts, target="my-concerns", label="items")
    context = {
        "concerns": concerns,
        "several_schools": len({c.school_id for c in concerns}) > 1,
        "can_raise": bool(policy.raising_school_ids(request.user)),
    }
    return TemplateResponse(request, "concerns/staff/mine.html", context)


@sensitive_post_parameters()
@sensitive_variables()
@never_cache
@require_http_methods(["GET", "POST"])
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One's own concern: what was written, its status, one's notes and a new note."""
    concern = policy.get_own_concern_or_404(request.user, pk)
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            now = timezone.now()
            with transaction.atomic():
                ConcernMessage.objects.create(
                    concern=concern,
                    author_kind=ConcernMessage.Author.REPORTER,
                    author=request.user,
                    text=form.cleaned_data["text"],
                    created_at=now,
                )
                Concern.objects.filter(pk=concern.pk).update(last_sender_message_at=now)
                audit.record(
                    request,
                    Action.CHANGE,
                    school=concern.school_id,
                    target=f"concern:{concern.pk}",
                    detail="follow-up note",
                )
            messages.success(request, gettext("Your note has been sent to the team."))
            return redirect("concerns:detail", pk=concern.pk)
    else:
        form = FollowUpForm()
        audit.record(request, Action.VIEW, school=concern.school_id, target=f"concern:{concern.pk}")
    context = {
        "concern": concern,
        "learners": list(concern.learners.select_related("learner")),
        # Only what the reporter wrote: the team's replies and notes are not theirs.
        "notes": list(
            concern.messages.filter(author_kind=ConcernMessage.Author.REPORTER, author=request.user)
        ),
        "attachment_count": concern.attachments.count(),
        "form": form,
    }
    return TemplateResponse(request, "concerns/staff/detail.html", context)
