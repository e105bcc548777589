"""django-axes glue: who is asking, what is locked, and what a locked-out person sees.

The lock must stop password guessing without handing an outsider a way to keep staff
out. Counting failures per username alone did exactly that: five wrong passwords typed
by anyone, anywhere, locked a principal out of every computer for half an hour. So
three locks, each for a different attack, all within the cool-off window
(``AXES_COOLOFF_TIME``):

- **the pair (account, address)** after ``AXES_FAILURE_LIMIT`` failures (5): someone
  guessing one password from one place is stopped quickly, and the real person,
  elsewhere (their phone on mobile data, home), still signs in;
- **the account alone** only after ``LOCKOUT_ACCOUNT_FAILURE_LIMIT`` failures (30)
  coming from at least ``LOCKOUT_ACCOUNT_MIN_ADDRESSES`` different addresses (5): a
  guess spread over many machines is stopped too, but one attacker at one address
  cannot reach it (their pair lock stops them first);
- **the address alone** after ``LOCKOUT_ADDRESS_FAILURE_LIMIT`` failures (20)
  whatever the usernames: one machine trying many accounts. It is higher than the pair
  limit because a school's staff room often shares one address.

A correct password from an address clears that pair's failures. An administrator
lifts a lock on the "Sign-in security" screen (``accounts.views``); the lock screen
says which lock applies and for how long.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
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


def lockout_address(request: HttpRequest) -> str:
    """The address failures are counted by: an IPv4 address, or an IPv6 /64 network.

    One home connection or phone gets a whole /64 of IPv6 addresses and may use a new
    one for every request; counted one by one, a single attacker would look like many
    places (locking an account everywhere, or guessing without end four tries at a
    time). The audit keeps the exact address (``client_ip``); only the lock groups.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


def cool_off_minutes() -> int:
    cool_off = get_cool_off()
    return int(cool_off.total_seconds() // 60) if cool_off else 0


# The policy -----------------------------------------------------------------------------


class LockKind(StrEnum):
    PAIR = "pair"  # this account from this address
    ACCOUNT = "account"  # this account from everywhere
    ADDRESS = "address"  # every account from this address


@dataclass(frozen=True)
class Limits:
    """The three thresholds, read from settings at each use (tests override them)."""

    pair: int
    account: int
    account_addresses: int
    address: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            pair=settings.AXES_FAILURE_LIMIT,
            account=settings.LOCKOUT_ACCOUNT_FAILURE_LIMIT,
            account_addresses=settings.LOCKOUT_ACCOUNT_MIN_ADDRESSES,
            address=settings.LOCKOUT_ADDRESS_FAILURE_LIMIT,
        )


@dataclass(frozen=True)
class LockState:
    """Why a sign-in is refused, and the latest failure that keeps it so."""

    kind: LockKind
    last_failure: datetime

    def minutes_left(self, now: datetime | None = None) -> int:
        """Minutes until the lock lifts by itself, at most (never less than one)."""
        cool_off = get_cool_off()
        if not cool_off:
            return 0
        left = self.last_failure + cool_off - (now or timezone.now())
        return max(1, math.ceil(left.total_seconds() / 60))


def _recent(since: datetime | None = None) -> QuerySet:
    attempts = AccessAttempt.objects.all()
    if since is None:
        cool_off = get_cool_off()
        since = timezone.now() - cool_off if cool_off else None
    if since is not None:
        attempts = attempts.filter(attempt_time__gte=since)
    return attempts


def lock_state(
    username: str | None, address: str | None, since: datetime | None = None
) -> LockState | None:
    """The lock that refuses ``username`` from ``address`` now, or None.

    Two queries: the account's failures (with the pair's among them and the number
    of addresses), and the address's failures.
    """
    limits = Limits.from_settings()
    attempts = _recent(since)
    if username:
        sums = {
            "failures": Sum("failures_since_start"),
            "addresses": Count("ip_address", distinct=True),
            "last": Max("attempt_time"),
        }
        if address:
            sums["pair"] = Sum("failures_since_start", filter=Q(ip_address=address))
            sums["pair_last"] = Max("attempt_time", filter=Q(ip_address=address))
        account = attempts.filter(username=username).aggregate(**sums)
        if address and (account["pair"] or 0) >= limits.pair:
            return LockState(LockKind.PAIR, account["pair_last"])
        if (account["failures"] or 0) >= limits.account and (
            account["addresses"] or 0
        ) >= limits.account_addresses:
            return LockState(LockKind.ACCOUNT, account["last"])
    if address:
        per_address = attempts.filter(ip_address=address).aggregate(
            failures=Sum("failures_since_start"), last=Max("attempt_time")
        )
        if (per_address["failures"] or 0) >= limits.address:
            return LockState(LockKind.ADDRESS, per_address["last"])
    return None


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the three locks above instead of one limit.

    Axes records every failure as before (one row per username, address and browser);
    only the decision changes, in :meth:`is_locked`, which axes asks before checking a
    password and which :meth:`user_login_failed` asks after recording a failure.
    """

    def _lock(self, request: HttpRequest, credentials: dict | None) -> LockState | None:
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        since = get_cool_off_threshold(request) if get_cool_off(request) else None
        state = lock_state(username, address, since)
        request.accounts_lock = state
        return state

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        return self._lock(request, credentials) is not None

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures of this account from this address (axes' own bookkeeping).

        Axes compares this number with ``AXES_FAILURE_LIMIT``, which is the pair
        limit, so its own decision is the pair lock; the other two are added in
        :meth:`user_login_failed`.
        """
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not username or not address:
            return 0
        since = get_cool_off_threshold(request) if get_cool_off(request) else None
        found = _recent(since).filter(username=username, ip_address=address)
        return found.aggregate(failures=Sum("failures_since_start"))["failures"] or 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_allowed(request, credentials):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        """A correct password clears the failures of this account from this address.

        Only the pair: failures from other addresses may be someone else's guesses.
        """
        super().user_logged_in(sender, request, user, **kwargs)
        address = getattr(request, "axes_ip_address", None)
        if address:
            AccessAttempt.objects.filter(username=user.get_username(), ip_address=address).delete()


# What a locked-out person sees ----------------------------------------------------------


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """A sign-in page saying which lock applies and for how long (status 429)."""
    state = getattr(request, "accounts_lock", None)
    if state is None:
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None) or lockout_address(request)
        state = lock_state(username, address)
    kind = state.kind if state else LockKind.PAIR
    minutes = state.minutes_left() if state else cool_off_minutes()
    return render(
        request,
        "accounts/locked_out.html",
        {"kind": kind.value, "minutes": minutes},
        status=429,
    )


# What the "Sign-in security" screen lists ------------------------------------------------


@dataclass(frozen=True)
class Lock:
    """One locked account or address, with its failures and its latest one.

    ``everywhere`` is set for an account locked from every address; otherwise the
    account is locked only from ``addresses`` address(es).
    """

    value: str
    failures: int
    last_failure: datetime
    addresses: int = 0
    everywhere: bool = False


def locked_usernames(usernames: QuerySet | None = None) -> list[Lock]:
    """Accounts under a lock (pair or whole account), newest first.

    ``usernames`` (a queryset of usernames) narrows the list to accounts a school's
    administrator manages.
    """
    limits = Limits.from_settings()
    attempts = _recent().exclude(username__isnull=True).exclude(username="")
    if usernames is not None:
        attempts = attempts.filter(username__in=usernames)
    pairs = (
        attempts.exclude(ip_address__isnull=True)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=limits.pair)
    )
    pair_locked: dict[str, int] = {}
    for row in pairs:
        pair_locked[row["username"]] = pair_locked.get(row["username"], 0) + 1
    totals = attempts.values("username").annotate(
        failures=Sum("failures_since_start"),
        addresses=Count("ip_address", distinct=True),
        last=Max("attempt_time"),
    )
    locks = []
    for row in totals:
        everywhere = (
            row["failures"] >= limits.account and row["addresses"] >= limits.account_addresses
        )
        if everywhere or row["username"] in pair_locked:
            locks.append(
                Lock(
                    row["username"],
                    row["failures"],
                    row["last"],
                    addresses=pair_locked.get(row["username"], 0),
                    everywhere=everywhere,
                )
            )
    return sorted(locks, key=lambda lock: lock.last_failure, reverse=True)


def locked_addresses() -> list[Lock]:
    """Addresses locked for every account, newest first."""
    # No exclude(ip_address=""): the address field turns "" into NULL, and "= NULL" in
    # a NOT (...) drops every row.
    rows = (
        _recent()
        .exclude(ip_address__isnull=True)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=Limits.from_settings().address)
        .order_by("-last")
    )
    return [
        Lock(row["ip_address"], row["failures"], row["last"]) for row in rows if row["ip_address"]
    ]
