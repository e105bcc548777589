"""The second-factor steps of signing in, and the administrators' sign-in screen."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import devices, lockout
from accounts.forms import CodeForm, UnlockForm, UsernameForm
from accounts.policy import has_confirmed_device, requires_two_factor
from schools import tenancy

NEW_CODES_KEY = "accounts_new_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    """Where to go after this step: a safe local ``next``, else the dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _verified(request: HttpRequest, device) -> None:
    """Mark the session as verified by ``device``, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan (or type) the secret, confirm with a code."""
    user = request.user
    if devices.has_confirmed_app(user):
        if user.is_verified():
            return redirect(_next_url(request))
        return redirect(f"{reverse('accounts_2fa_verify')}?{request.GET.urlencode()}")
    device = devices.pending_app_device(user)
    form = CodeForm(request.POST or None, numeric=True)
    if request.method == "POST" and form.is_valid():
        if devices.confirm_app(device, form.cleaned_data["code"]):
            _verified(request, device)
            request.session[NEW_CODES_KEY] = devices.new_recovery_codes(user)
            url = reverse("accounts_2fa_recovery_codes")
            return redirect(f"{url}?{urlencode({'next': _next_url(request)})}")
        form.add_error(
            "code",
            _("That code is not right. Check that the phone's clock is correct and try again."),
        )
    return render(
        request,
        "accounts/setup.html",
        {
            "title": _("Set up two-step sign-in"),
            "form": form,
            "qr_svg": devices.qr_svg(device),
            "secret": devices.secret_text(device),
            "next": _next_url(request),
            "required": requires_two_factor(user),
        },
    )


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the app, or a recovery code (which is then used up)."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not has_confirmed_device(user):
        return redirect(f"{reverse('accounts_2fa_setup')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = devices.verify_code(user, form.cleaned_data["code"])
        if result.device is not None:
            _verified(request, result.device)
            if result.used_recovery_code:
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; it cannot be used again. "
                        "Recovery codes left: %(count)s."
                    )
                    % {"count": devices.recovery_codes_left(user)},
                )
            return redirect(_next_url(request))
        if result.throttled:
            form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
        else:
            form.add_error("code", _("That code is wrong or has expired. Try again."))
    return render(
        request,
        "accounts/verify.html",
        {"title": _("Two-step sign-in"), "form": form, "next": _next_url(request)},
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show freshly made recovery codes, once: they are dropped from the session here."""
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts_2fa")
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"title": _("Your recovery codes"), "codes": codes, "next": _next_url(request)},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The user's own two-step sign-in: state, and new recovery codes on request."""
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "new-codes":
        if not (has_confirmed_device(user) and user.is_verified()):
            raise PermissionDenied
        request.session[NEW_CODES_KEY] = devices.new_recovery_codes(user)
        url = reverse("accounts_2fa_recovery_codes")
        return redirect(f"{url}?{urlencode({'next': reverse('accounts_2fa')})}")
    return render(
        request,
        "accounts/overview.html",
        {
            "title": _("Two-step sign-in"),
            "enrolled": has_confirmed_device(user),
            "required": requires_two_factor(user),
            "codes_left": devices.recovery_codes_left(user),
        },
    )


def _may_use_security_screen(user) -> bool:
    """Superusers, and administrators of a school (for the accounts they manage)."""
    ids = tenancy.administered_school_ids(user)
    return ids is None or bool(ids)


def _require_security_screen(request: HttpRequest) -> None:
    if not _may_use_security_screen(request.user):
        raise PermissionDenied


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Locked accounts (and, for superusers, addresses and the 2FA reset).

    A school's administrator sees and unlocks only the accounts they manage
    (``schools.tenancy.users_managed_by``): the teacher who typed a wrong password
    five times should not have to wait for the deployment's operator. Addresses and
    usernames that match nobody they manage are not theirs to see.
    """
    _require_security_screen(request)
    operator = tenancy.is_operator(request.user)
    managed = None if operator else tenancy.users_managed_by(request.user).values("username")
    return render(
        request,
        "accounts/security.html",
        {
            "title": _("Sign-in security"),
            "usernames": lockout.locked_usernames(managed),
            "addresses": lockout.locked_addresses() if operator else [],
            "operator": operator,
            "reset_form": UsernameForm(),
            "cool_off_minutes": lockout.cool_off_minutes(),
            "limits": lockout.Limits.from_settings(),
        },
    )


@require_POST
@login_required
def unlock(request: HttpRequest) -> HttpResponse:
    """Lift the locks on an account (every address) or, for superusers, an address.

    An account the administrator does not manage, or an address, answers 404 to
    them, as if it did not exist.
    """
    _require_security_screen(request)
    from axes.utils import reset

    form = UnlockForm(request.POST)
    if not form.is_valid():
        return redirect("accounts_security")
    value = form.cleaned_data["value"]
    operator = tenancy.is_operator(request.user)
    if form.cleaned_data["kind"] == "username":
        if not operator:
            target = get_user_model().objects.filter(username=value).first()
            if target is None or not tenancy.manages_user(request.user, target):
                raise Http404
        reset(username=value)
        messages.success(request, _("Account “%(name)s” unlocked.") % {"name": value})
    else:
        if not operator:
            raise Http404
        reset(ip=value)
        messages.success(request, _("Address %(address)s unlocked.") % {"address": value})
    return redirect("accounts_security")


@require_POST
@login_required
def reset_two_factor(request: HttpRequest) -> HttpResponse:
    """Remove someone's second factor: superusers only.

    A school's administrator may change the password of the staff they manage; if
    they could also reset the second factor, they could take over a case worker's
    account and read the children's records. Keeping the reset with the operator
    means a password alone never opens a case account.
    """
    _require_security_screen(request)
    form = UsernameForm(request.POST)
    if not tenancy.is_operator(request.user):
        # An administrator: another school's account (or nobody) is not found, as
        # everywhere in the admin; their own staff's is refused.
        username = form.data.get("username", "")
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not tenancy.manages_user(request.user, user):
            raise Http404
        raise PermissionDenied
    if form.is_valid():
        username = form.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            messages.error(request, _("There is no user “%(name)s”.") % {"name": username})
        else:
            devices.reset_two_factor(user)
            messages.success(
                request,
                _("Two-step sign-in of “%(name)s” was reset: they set it up again at next sign-in.")
                % {"name": username},
            )
    return redirect("accounts_security")
