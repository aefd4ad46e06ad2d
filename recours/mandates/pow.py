"""A self-hosted proof of work for browsers with JavaScript (ALTCHA), with no third party.

The challenge is signed with a key derived from SECRET_KEY, expires after ten minutes and
can be spent once. A form that carries a solved challenge gets the ordinary rate limits; a
form without one (no JavaScript, an old browser, or a bot) still works, under stricter
limits, and the e-mail confirmation remains the gate for everyone.
"""

import base64
import binascii
import json
import time

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from recours.core.caches import cache_is_shared
from recours.mandates.models import SubmissionKey

ALGORITHM = "PBKDF2/SHA-256"
LIFETIME_SECONDS = 600
MAX_PAYLOAD_LENGTH = 4_000


def _secret() -> str:
    return salted_hmac("recours.mandates.pow", "challenge", algorithm="sha256").hexdigest()


def new_challenge() -> dict:
    """A fresh challenge. Costs the server one HMAC: nothing is derived or stored."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.POW_COST,
        key_prefix=settings.POW_KEY_PREFIX,
        expires_at=int(time.time()) + LIFETIME_SECONDS,
        hmac_secret=_secret(),
    )
    return challenge.to_dict()


def proved(payload: str) -> bool:
    """True once per solved, unexpired challenge of ours; False for anything else."""
    if not payload or len(payload) > MAX_PAYLOAD_LENGTH:
        return False
    result = altcha.verify_solution(payload, _secret())
    if not result.verified:
        return False
    try:
        nonce = json.loads(base64.b64decode(payload))["challenge"]["parameters"]["nonce"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        return False
    # Spent once: a solved challenge replayed by a bot proves nothing the second time.
    if not cache_is_shared():
        # Each process has its own memory: without a shared cache (Redis), the database
        # is what every worker sees. The row is purged with the sign forms' keys.
        return SubmissionKey.spend(f"pow:{nonce}")
    return cache.add(f"pow-spent:{nonce}", 1, LIFETIME_SECONDS + 60)


def widget_strings() -> dict:
    """The widget's texts, from our catalogues rather than its bundled translations."""
    return {
        "ariaLinkLabel": _("ALTCHA (site officiel)"),
        "cancel": _("Annuler"),
        "enterCode": _("Saisissez le code"),
        "enterCodeAria": _("Saisissez le code que vous entendez. Appuyez sur Espace pour écouter."),
        "enterCodeFromImage": _("Pour continuer, saisissez le code de l'image ci-dessous."),
        "error": _("La vérification a échoué. Vous pouvez tout de même envoyer le formulaire."),
        "expired": _("La vérification a expiré. Recommencez."),
        "footer": "",
        "getAudioChallenge": _("Écouter un code audio"),
        "label": _("Vérification anti-robot, faite par votre navigateur"),
        "loading": _("Chargement…"),
        "reload": _("Recharger"),
        "verify": _("Vérifier"),
        "verificationRequired": _("Vérification nécessaire."),
        "verified": _("Vérifié"),
        "verifying": _("Vérification en cours…"),
        "waitAlert": _("Vérification en cours, veuillez patienter."),
    }
