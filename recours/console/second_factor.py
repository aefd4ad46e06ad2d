"""Second factors for members: passkeys (WebAuthn, through py_webauthn), TOTP codes from
an authenticator app, and recovery codes shown once.

Nothing here can be replayed: a TOTP code is refused once its time step was used, a
recovery code is spent on use, and a passkey's challenge lives in the session for one
attempt. Secrets the server must read back (the TOTP seed) are encrypted with DATA_KEY;
what it only compares (recovery codes) is kept as a keyed hash.
"""

import secrets
import time

import pyotp
from django.db import transaction
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import AuthenticatorSelectionCriteria as Selection
from webauthn.helpers.structs import (
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from recours.console.models import Passkey, RecoveryCode, TotpDevice
from recours.core import at_rest
from recours.core.crypto import keyed_hash

TOTP_PURPOSE = "console-totp"
RECOVERY_CODES = 10
TOTP_ISSUER = "Recours"


class FactorError(ValueError):
    pass


def has_second_factor(user) -> bool:
    return (
        Passkey.objects.filter(user=user).exists()
        or TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
    )


# TOTP


def start_totp(user) -> str:
    """A new, unconfirmed TOTP seed for `user` (replacing an unconfirmed one); returns it
    for the member to type or scan."""
    secret = pyotp.random_base32()
    sealed = at_rest.encrypt_text(secret, purpose=TOTP_PURPOSE)
    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise FactorError("an authenticator app is already enrolled")
    TotpDevice.objects.update_or_create(user=user, defaults={"secret_sealed": sealed})
    return secret


def totp_secret(device: TotpDevice) -> str:
    return at_rest.decrypt_text(bytes(device.secret_sealed), purpose=TOTP_PURPOSE)


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (of the previous, current or next 30 s) whose code is `code`."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // totp.interval)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


def verify_totp(user, code: str, *, confirming: bool = False, now: float | None = None) -> bool:
    """True if `code` is the user's current code and its time step was never used; the
    step is spent in the same conditional update, so two requests cannot both use it."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None or (device.confirmed_at is None) != confirming:
        return False
    step = _matching_step(totp_secret(device), code, time.time() if now is None else now)
    if step is None:
        return False
    fields = {"last_step": step}
    if confirming:
        fields["confirmed_at"] = timezone.now()
    return bool(TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(**fields))


# Recovery codes


def _code_hash(user, code: str) -> str:
    return keyed_hash("console-recovery", str(user.pk), "".join(code.lower().split("-")).strip())


def new_recovery_codes(user) -> list[str]:
    """Ten fresh codes, replacing any earlier ones; shown once, kept only as keyed hashes."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits each, and only ten tries an hour
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(user=user, code_hash=_code_hash(user, code)) for code in codes]
        )
    return codes


def use_recovery_code(user, code: str) -> bool:
    return bool(
        RecoveryCode.objects.filter(
            user=user, code_hash=_code_hash(user, code), used_at__isnull=True
        ).update(used_at=timezone.now())
    )


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# Passkeys


def _user_handle(user) -> bytes:
    # An opaque handle, not the database id: the authenticator stores it.
    return keyed_hash("console-webauthn-user", str(user.pk)).encode()[:32]


def registration_options(user, *, rp_id: str, rp_name: str) -> tuple[str, bytes]:
    """The options for navigator.credentials.create, as JSON, and their challenge."""
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_name,
        user_name=user.username,
        user_id=_user_handle(user),
        authenticator_selection=Selection(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id))
            for key in Passkey.objects.filter(user=user)
        ],
    )
    return options_to_json(options), options.challenge


def register_passkey(user, *, response: str, challenge: bytes, rp_id: str, origin: str, name: str):
    try:
        verified = verify_registration_response(
            credential=response,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise FactorError(str(error)) from None
    if Passkey.objects.filter(credential_id=verified.credential_id).exists():
        raise FactorError("this passkey is already registered")
    return Passkey.objects.create(
        user=user,
        name=name[:60] or "Passkey",
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
    )


def authentication_options(user, *, rp_id: str) -> tuple[str, bytes]:
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id))
            for key in Passkey.objects.filter(user=user)
        ],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), options.challenge


def verify_passkey(user, *, response: str, challenge: bytes, rp_id: str, origin: str) -> bool:
    """True if one of the user's passkeys signed the challenge; a signature counter that
    does not move forward (a cloned authenticator) is refused."""
    try:
        credential = parse_authentication_credential_json(response)
    except (ValueError, KeyError, TypeError, InvalidAuthenticationResponse):
        return False
    key = Passkey.objects.filter(user=user, credential_id=credential.raw_id).first()
    if key is None:
        return False
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError):
        return False
    Passkey.objects.filter(pk=key.pk).update(
        sign_count=verified.new_sign_count, last_used_at=timezone.now()
    )
    return True
