"""The rate limits of the sign form (R3.1): cheap checks before and after parsing, and
stricter ones for a form that carries no solved proof of work (see pow.py)."""

from django.conf import settings

from recours.core.forms import clean_text_input
from recours.core.ratelimit import Refusal, Rule, check, client_ip, network_of


def _rule(name: str) -> Rule:
    limit, window = settings.SIGN_RATE_LIMITS[name]
    return Rule(f"sign-{name}", limit, window)


def check_sender(request, *, proved: bool, email: str = "") -> Refusal | None:
    """Before the form is validated: attempts per address, and new addresses per network
    (a bot rotating through a /24 is stopped; a person next to a few bots is not), with
    stricter limits on top for a form with no solved proof of work, and attempts per
    e-mail domain (from the address as typed); in one round trip."""
    address = client_ip(request)
    rules, distinct = [], []
    for prefix in [""] if proved else ["", "nojs-"]:
        rules += [(_rule(f"{prefix}ip-burst"), address), (_rule(f"{prefix}ip-hour"), address)]
        distinct.append((_rule(f"{prefix}network"), network_of(address), address))
    domain = domain_of(email)
    if domain:
        rules.append((_rule("domain"), domain))
    return check(rules, distinct=distinct)


def domain_of(email: str) -> str:
    """The domain as the form will read it: spaces and case do not make another one."""
    return clean_text_input(email).rpartition("@")[2].lower() if "@" in email else ""
