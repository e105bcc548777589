"""The screens of "Thông báo": a user's own alerts, opening one, read receipts, preferences.

Every object is looked up through the user: one's own alerts by recipient; the read
receipts of an urgent alert only for the case workers and principals of its
school. Anything else answers 404. An alert's link leads to an admin path whose
own view decides whether the reader may open the object.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.forms import PreferenceForm
from notifications.models import Notification, NotificationPreference
from notifications.recipients import holds_case_role

PER_PAGE = 30


def _own(request: HttpRequest, pk) -> Notification:
    try:
        return Notification.objects.for_user(request.user).select_related("school").get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def notification_list(request: HttpRequest) -> HttpResponse:
    own = Notification.objects.for_user(request.user)
    page = Paginator(own.select_related("school"), PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_count": own.unread().count(),
            "receipts_for": {
                n.pk for n in page if n.urgent and holds_case_role(request.user, n.school_id)
            },
        },
    )


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("All your alerts are marked as read."))
    return redirect("notifications:list")


def open_notification(request: HttpRequest, pk) -> HttpResponse:
    """Mark the alert read (the first time only) and go to its object."""
    notification = _own(request, pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    target = notification.url
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = reverse("notifications:list")
    return redirect(target)


def read_receipts(request: HttpRequest, pk) -> HttpResponse:
    """Who of the recipients of an urgent alert has read it, and when."""
    try:
        notification = Notification.objects.select_related("school").get(pk=pk, urgent=True)
    except (Notification.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if not holds_case_role(request.user, notification.school_id):
        raise Http404
    receipts = (
        Notification.objects.filter(alert=notification.alert)
        .select_related("recipient")
        .order_by(F("read_at").asc(nulls_last=True), "recipient__username")
    )
    return TemplateResponse(
        request,
        "notifications/receipts.html",
        {"notification": notification, "receipts": receipts},
    )


def preferences(request: HttpRequest) -> HttpResponse:
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your alert settings are saved."))
        return redirect("notifications:preferences")
    return TemplateResponse(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
