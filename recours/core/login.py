"""Sign-in, throttled: per account and per network, before the password is even checked.

Forty wrong passwords in twelve seconds used to go through the admin's login, which
now leads to the console's (console/views/signin.py). Every
sign-in attempt is now counted, on the keyed hash of the account name and of the
visitor's /24 (or /48), in the shared cache; past the limit the answer is a 429 with
Retry-After and a page that says when to try again, and the password is not checked."""

from django.conf import settings

from recours.core.ratelimit import Rule, check, client_ip, network_of


def login_refusal(request):
    """The refusal a sign-in attempt meets, after counting it; None when it may go on."""
    account = request.POST.get("username", "")[:150].strip().lower()
    network = network_of(client_ip(request))
    rules = [
        (Rule("login-account", *settings.LOGIN_RATE_LIMITS["account"]), account),
        (Rule("login-network", *settings.LOGIN_RATE_LIMITS["network"]), network),
    ]
    return check(rules)
