"""The help channel's pages: choose a school, write, receipt, come back, thread, leave.

Post/redirect/get throughout, and nothing of a visit in a URL: the receipt waits in
the session for its one showing, and the thread is opened for 15 idle minutes by a
key the gateway hands back (never the phrase). Every response is ``no-store``, so
neither the browser, a proxy nor the shared page cache keeps it, and sends no
referrer to another site.
"""

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from accounts.lockout import lockout_address
from concerns import gateway
from pages.help_channel.forms import ComeBackForm, HelpRequestForm, ReplyForm
from schools.models import School

RECEIPT_KEY = "help_channel.receipt"
ACCESS_KEY = "help_channel.access"
IDLE_SECONDS = 15 * 60


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Nothing of these pages may stay in a cache or leak through a referrer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        response["Pragma"] = "no-cache"
        # Never a referrer to another site (the quick exit's, a tel: link's). Not
        # "no-referrer": a browser then sends "Origin: null" with the form's POST,
        # which Django's CSRF check refuses.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _school(code: str) -> School:
    school = School.objects.filter(code=code.upper()).select_related("root_page").first()
    if school is None:
        raise Http404
    return school


def _too_many(request: HttpRequest, template: str, context: dict, wait: int) -> HttpResponse:
    response = render(
        request,
        template,
        {**context, "over_limit": True, "wait_minutes": max(1, -(-wait // 60))},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _exit_url() -> str:
    return reverse("help_channel:leave")


# Choosing a school (the portal) -------------------------------------------------


@private
@require_GET
def choose_school(request: HttpRequest) -> HttpResponse:
    schools = School.objects.filter(root_page__isnull=False).order_by("name").only("code", "name")
    return render(
        request,
        "pages/help_channel/choose.html",
        {"schools": schools, "help_exit_url": _exit_url()},
    )


# Writing ---------------------------------------------------------------------------


@private
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest, school_code: str) -> HttpResponse:
    school = _school(school_code)
    template = "pages/help_channel/write.html"
    form = HelpRequestForm(request.POST or None)
    context = {"form": form, "section_school": school, "help_exit_url": _exit_url()}
    if request.method == "POST" and form.is_valid():
        try:
            receipt = gateway.submit_help_request(
                school.code,
                form.cleaned_data["text"],
                sender_role=form.cleaned_data["sender_role"],
                contact=form.cleaned_data.get("contact", ""),
                anonymous=form.anonymous,
                client_address=lockout_address(request),
                looks_like_spam=form.looks_like_spam(),
            )
        except gateway.OverLimit as over:
            return _too_many(request, template, context, over.retry_after)
        request.session[RECEIPT_KEY] = {
            "school": school.code,
            "code": receipt.code,
            "secret": receipt.secret,
        }
        return redirect("help_channel:receipt", school_code=school.code)
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


@private
@require_GET
def receipt(request: HttpRequest, school_code: str) -> HttpResponse:
    school = _school(school_code)
    # Shown once: popped before rendering, so a reload or the back button finds nothing.
    shown = request.session.pop(RECEIPT_KEY, None)
    if shown is not None and shown.get("school") != school.code:
        shown = None
    return render(
        request,
        "pages/help_channel/receipt.html",
        {
            "section_school": school,
            "receipt": shown,
            # Each word kept whole on a line of its own if the phrase must wrap
            "secret_words": shown["secret"].split(" · ") if shown else [],
            "help_exit_url": _exit_url(),
        },
    )


# Coming back -----------------------------------------------------------------------


def _held_access(request: HttpRequest) -> dict | None:
    """The thread this visit opened, while it has been idle less than 15 minutes."""
    access = request.session.get(ACCESS_KEY)
    if not access:
        return None
    if time.time() - access.get("seen", 0) > IDLE_SECONDS:
        request.session.pop(ACCESS_KEY, None)
        return None
    access["seen"] = time.time()
    request.session[ACCESS_KEY] = access
    return access


@private
@require_http_methods(["GET", "POST"])
def come_back(request: HttpRequest) -> HttpResponse:
    template = "pages/help_channel/come_back.html"
    form = ComeBackForm(request.POST or None)
    context = {"form": form, "help_exit_url": _exit_url(), "not_found": False}
    if request.method == "POST" and form.is_valid():
        try:
            thread = gateway.open_thread(
                form.cleaned_data["code"],
                form.cleaned_data["secret"],
                client_address=lockout_address(request),
            )
        except gateway.OverLimit as over:
            return _too_many(request, template, context, over.retry_after)
        if thread is not None:
            request.session.cycle_key()
            request.session[ACCESS_KEY] = {
                "code": thread.code,
                "key": thread.access_key,
                "seen": time.time(),
            }
            return redirect("help_channel:thread")
        context["not_found"] = True
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


@private
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest) -> HttpResponse:
    access = _held_access(request)
    if access is None:
        return redirect("help_channel:come_back")
    address = lockout_address(request)
    form = ReplyForm(request.POST or None)
    try:
        opened = gateway.open_thread(access["code"], access["key"], client_address=address)
    except gateway.OverLimit as over:
        return _too_many(
            request, "pages/help_channel/come_back.html", {"form": ComeBackForm()}, over.retry_after
        )
    if opened is None:
        request.session.pop(ACCESS_KEY, None)
        return redirect("help_channel:come_back")
    template = "pages/help_channel/thread.html"
    context = {
        "thread": opened,
        "form": form,
        "section_school": School.objects.filter(code=opened.school_code).first(),
        "help_exit_url": _exit_url(),
    }
    if request.method == "POST" and opened.may_reply and form.is_valid():
        try:
            gateway.add_sender_reply(
                access["code"], access["key"], form.cleaned_data["text"], client_address=address
            )
        except gateway.OverLimit as over:
            return _too_many(request, template, context, over.retry_after)
        request.session[ACCESS_KEY] = {**access, "sent": True}
        return HttpResponseRedirect(reverse("help_channel:thread") + "#last")
    context["just_sent"] = request.method == "GET" and access.pop("sent", False)
    request.session[ACCESS_KEY] = access
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


@private
@require_GET
def leave(request: HttpRequest) -> HttpResponse:
    """The quick exit on these pages: end the visit (receipt and thread access), then go
    to the neutral page. A GET, since the quick exit is a plain link that must work
    without JavaScript; ending one's own visit is all it can do."""
    request.session.flush()
    return HttpResponseRedirect(settings.QUICK_EXIT_URL)
