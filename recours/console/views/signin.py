"""Signing in to the console: password, then a second factor, both throttled.

Between the two steps the session holds only the id of the account whose password was
right (`PENDING`), for ten minutes; Django's `login()` happens once the second factor
checks out, so that no page (the admin included) sees a half-signed-in member. A member
without a second factor must enrol one first, and gets recovery codes, shown once.
"""

import base64
import time
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recours.console import second_factor
from recours.console.access import VERIFIED, verified_member_required
from recours.console.forms import LoginForm, PasskeyResponseForm, RecoveryForm, TotpForm
from recours.core.login import login_refusal
from recours.core.ratelimit import Rule, check, client_ip, network_of, refusal_response

PENDING, PENDING_AT, NEXT = "console_pending", "console_pending_at", "console_next"
PENDING_SECONDS = 600
CHALLENGE = "console_webauthn_challenge"
TOO_MANY = "core/too_many_logins.html"


def relying_party(request) -> tuple[str, str]:
    """The WebAuthn relying party: this site's host name and origin, as the browser
    sees them (the host was checked against ALLOWED_HOSTS)."""
    host = request.get_host()
    return urlsplit(f"//{host}").hostname, f"{request.scheme}://{host}"


def pending_user(request) -> User | None:
    user_id, since = request.session.get(PENDING), request.session.get(PENDING_AT, 0)
    if user_id is None or time.time() - since > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def start_pending(request, user, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING] = user.pk
    request.session[PENDING_AT] = time.time()
    request.session[NEXT] = next_url


def _finish(request, user):
    next_url = request.session.get(NEXT) or reverse("console:home")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[VERIFIED] = True
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("console:home")
    return redirect(next_url)


def username_for(typed: str) -> str:
    """Members sign in with their username or their e-mail address."""
    if "@" in typed:
        found = User.objects.filter(email__iexact=typed).values_list("username", flat=True)
        if len(found[:2]) == 1:
            return found[0]
    return typed


def login_view(request):
    if request.user.is_authenticated and request.session.get(VERIFIED):
        return redirect("console:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST":
        if refusal := login_refusal(request):
            return refusal_response(request, refusal, TOO_MANY)
        if form.is_valid():
            user = authenticate(
                request,
                username=username_for(form.cleaned_data["username"]),
                password=form.cleaned_data["password"],
            )
            if user is None:  # the same answer for a wrong password and an unknown name
                form.add_error(None, _("Identifiant ou mot de passe incorrect."))
            else:
                start_pending(request, user, request.GET.get("next", ""))
                if second_factor.has_second_factor(user):
                    return redirect("console:second_factor")
                return redirect("console:enrol")
    return render(request, "console/login.html", {"form": form}, status=200)


def _factor_refusal(request, user):
    return check(
        [
            (Rule("2fa-account", *settings.SECOND_FACTOR_RATE_LIMITS["account"]), str(user.pk)),
            (
                Rule("2fa-network", *settings.SECOND_FACTOR_RATE_LIMITS["network"]),
                network_of(client_ip(request)),
            ),
        ]
    )


def _passkey_options(request, user, *, registering: bool) -> str:
    rp_id, _origin = relying_party(request)
    if registering:
        options, challenge = second_factor.registration_options(
            user, rp_id=rp_id, rp_name="Recours"
        )
    else:
        options, challenge = second_factor.authentication_options(user, rp_id=rp_id)
    request.session[CHALLENGE] = base64.b64encode(challenge).decode()
    return options


def _register_passkey(request, user, form) -> str:
    """Registers the passkey the browser created against this session's challenge; the
    message to show when it cannot, else an empty string."""
    rp_id, origin = relying_party(request)
    try:
        second_factor.register_passkey(
            user,
            response=form.cleaned_data["response"],
            challenge=_spend_challenge(request),
            rp_id=rp_id,
            origin=origin,
            name=form.cleaned_data["name"],
        )
    except second_factor.FactorError:
        return _("La clé d'accès n'a pas pu être enregistrée. Réessayez.")
    return ""


def _spend_challenge(request) -> bytes:
    value = request.session.pop(CHALLENGE, "")
    return base64.b64decode(value) if value else b""


def second_factor_view(request):
    user = pending_user(request)
    if user is None:
        return redirect("console:login")
    totp_form = TotpForm(request.POST if "code" in request.POST else None)
    recovery_form = RecoveryForm(request.POST if "recovery_code" in request.POST else None)
    passkey_form = PasskeyResponseForm(request.POST if "response" in request.POST else None)
    failed = False
    if request.method == "POST":
        if refusal := _factor_refusal(request, user):
            return refusal_response(request, refusal, TOO_MANY)
        if totp_form.is_bound and totp_form.is_valid():
            if second_factor.verify_totp(user, totp_form.cleaned_data["code"]):
                return _finish(request, user)
            totp_form.add_error("code", _("Ce code n'est pas valable, ou il a déjà servi."))
        elif recovery_form.is_bound and recovery_form.is_valid():
            if second_factor.use_recovery_code(user, recovery_form.cleaned_data["recovery_code"]):
                return _finish(request, user)
            recovery_form.add_error(
                "recovery_code", _("Ce code de secours n'est pas valable, ou il a déjà servi.")
            )
        elif passkey_form.is_bound and passkey_form.is_valid():
            rp_id, origin = relying_party(request)
            if second_factor.verify_passkey(
                user,
                response=passkey_form.cleaned_data["response"],
                challenge=_spend_challenge(request),
                rp_id=rp_id,
                origin=origin,
            ):
                return _finish(request, user)
            failed = True
        else:
            failed = True
    has_passkey = user.passkeys.exists()
    context = {
        "totp_form": totp_form,
        "recovery_form": recovery_form,
        "passkey_form": passkey_form,
        "has_totp": hasattr(user, "totp") and user.totp.confirmed_at is not None,
        "passkey_options": _passkey_options(request, user, registering=False)
        if has_passkey
        else "",
        "passkey_failed": failed,
    }
    errors = failed or totp_form.errors or recovery_form.errors
    return render(request, "console/second_factor.html", context, status=400 if errors else 200)


def enrol_view(request):
    """A member's first second factor: an authenticator app or a passkey. Once one is
    confirmed, ten recovery codes are shown, once, and the member is signed in."""
    user = pending_user(request)
    if user is None:
        return redirect("console:login")
    if second_factor.has_second_factor(user):
        return redirect("console:second_factor")
    totp_form = TotpForm(request.POST if "code" in request.POST else None)
    passkey_form = PasskeyResponseForm(request.POST if "response" in request.POST else None)
    passkey_error = ""
    if request.method == "POST":
        if refusal := _factor_refusal(request, user):
            return refusal_response(request, refusal, TOO_MANY)
        if totp_form.is_bound and totp_form.is_valid():
            if second_factor.verify_totp(user, totp_form.cleaned_data["code"], confirming=True):
                return _enrolled(request, user)
            totp_form.add_error(
                "code", _("Ce code ne correspond pas. Vérifiez l'heure de votre téléphone.")
            )
        elif passkey_form.is_bound and passkey_form.is_valid():
            passkey_error = _register_passkey(request, user, passkey_form)
            if not passkey_error:
                return _enrolled(request, user)
    secret = (
        second_factor.totp_secret(user.totp)
        if totp_form.is_bound and hasattr(user, "totp")
        else second_factor.start_totp(user)
    )
    context = {
        "totp_form": totp_form,
        "passkey_form": passkey_form,
        "passkey_error": passkey_error,
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": _qr(second_factor.provisioning_uri(user, secret)),
        "passkey_options": _passkey_options(request, user, registering=True),
    }
    errors = totp_form.errors or passkey_error
    return render(request, "console/enrol.html", context, status=400 if errors else 200)


def _qr(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(
        scale=4, border=2, title=_("Code QR de votre compte, pour l'application")
    )


def _enrolled(request, user):
    codes = second_factor.new_recovery_codes(user)
    response = _finish(request, user)
    return render(
        request,
        "console/recovery_codes.html",
        {"codes": codes, "next_url": response["Location"]},
    )


def admin_login(request, **kwargs):
    """The admin is for superusers, signed in with their second factor like everyone."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(target, reverse("console:login"))


@require_POST
def logout_view(request):
    logout(request)
    return redirect("console:login")


@verified_member_required
def security_view(request):
    """The member's own second factors: add a passkey, renew recovery codes."""
    user = request.user
    passkey_form = PasskeyResponseForm(request.POST if "response" in request.POST else None)
    message = ""
    if request.method == "POST":
        if "renew_codes" in request.POST:
            codes = second_factor.new_recovery_codes(user)
            return render(
                request,
                "console/recovery_codes.html",
                {"codes": codes, "next_url": reverse("console:security")},
            )
        if passkey_form.is_valid():
            message = _register_passkey(request, user, passkey_form)
            if not message:
                return redirect("console:security")
    context = {
        "passkeys": user.passkeys.order_by("created_at"),
        "has_totp": hasattr(user, "totp") and user.totp.confirmed_at is not None,
        "codes_left": second_factor.recovery_codes_left(user),
        "passkey_form": passkey_form,
        "passkey_error": message,
        "passkey_options": _passkey_options(request, user, registering=True),
    }
    return render(request, "console/security.html", context, status=400 if message else 200)
