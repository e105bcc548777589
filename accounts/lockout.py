"""django-axes glue: who is asking, what a locked-out person sees, what is locked.

Failed sign-ins are counted per username and per address separately (see
``AXES_LOCKOUT_PARAMETERS``), so guessing one account's password from many
addresses, and trying many accounts from one address, are both stopped.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one a trusted proxy appended.

    Behind a reverse proxy every request comes from the proxy's address, which would
    lock everybody out together. With ``TRUSTED_PROXY_COUNT`` proxies in front, the
    client is the entry that many places from the right of X-Forwarded-For (entries
    further left are written by the client and cannot be trusted).
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return remote


def cool_off_minutes() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """A sign-in page saying why, instead of axes' bare text (status 429)."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": cool_off_minutes()},
        status=429,
    )


@dataclass(frozen=True)
class Lock:
    """One locked username or address, with when its last failure happened."""

    value: str
    failures: int
    last_failure: datetime


def _locked(field: str) -> list[Lock]:
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    # No exclude(field=""): the address field turns "" into NULL, and "= NULL" in
    # a NOT (...) drops every row.
    rows = (
        attempts.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [Lock(row[field], row["failures"], row["last"]) for row in rows if row[field]]


def locked_usernames() -> list[Lock]:
    return _locked("username")


def locked_addresses() -> list[Lock]:
    return _locked("ip_address")
