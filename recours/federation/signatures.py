"""HTTP signatures as the fediverse uses them: draft-cavage-http-signatures-12 with
rsa-sha256 over `(request-target) host date digest`, the body's SHA-256 in `Digest`
(RFC 3230), as Mastodon signs and checks them (app/lib/request.rb and
app/controllers/concerns/signature_verification.rb)."""

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# A signed request older or newer than this is refused: a captured one cannot be replayed.
CLOCK_SKEW = timedelta(minutes=5)
REQUIRED = ("(request-target)", "host", "date", "digest")
PARAMETER = re.compile(r'(\w+)="([^"]*)"')


class SignatureError(ValueError):
    """Why a request's signature is refused, for the answer's body and the log."""


@dataclass(frozen=True)
class SignatureHeader:
    key_id: str
    headers: tuple[str, ...]
    signature: bytes


def digest_of(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime | None = None) -> str:
    return format_datetime(moment or datetime.now(UTC), usegmt=True)


def _signing_string(method: str, path: str, headers: dict[str, str], names) -> bytes:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        else:
            lines.append(f"{name}: {headers[name]}")
    return "\n".join(lines).encode()


def sign(
    method: str, url: str, *, key_id: str, private_key: rsa.RSAPrivateKey, body: bytes = b""
) -> dict[str, str]:
    """The headers that sign a request: Host, Date, Digest (with a body) and Signature."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"host": parts.netloc, "date": http_date()}
    names = ["(request-target)", "host", "date"]
    if method.upper() == "POST":
        headers["digest"] = digest_of(body)
        names.append("digest")
    signature = private_key.sign(
        _signing_string(method, path, headers, names), padding.PKCS1v15(), hashes.SHA256()
    )
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return {name.title(): value for name, value in headers.items()}


def parse(header: str) -> SignatureHeader:
    fields = dict(PARAMETER.findall(header or ""))
    if not fields.get("keyId") or not fields.get("signature"):
        raise SignatureError("no Signature header, or one without keyId and signature")
    if fields.get("algorithm", "rsa-sha256") not in ("rsa-sha256", "hs2019"):
        raise SignatureError(f"unsupported algorithm {fields['algorithm']!r}")
    try:
        signature = base64.b64decode(fields["signature"], validate=True)
    except ValueError as exc:
        raise SignatureError("the signature is not base64") from exc
    names = tuple(fields.get("headers", "date").lower().split())
    return SignatureHeader(fields["keyId"], names, signature)


def check_request(
    *, method: str, path: str, headers: dict[str, str], body: bytes, now: datetime | None = None
) -> SignatureHeader:
    """Everything about a signed POST but the key: the headers it must cover, the Date
    within CLOCK_SKEW, the Digest of the body. Returns the parsed header; the caller
    fetches the key named by `key_id` and calls `verify`."""
    parsed = parse(headers.get("signature", ""))
    missing = [name for name in REQUIRED if name not in parsed.headers]
    if missing:
        raise SignatureError(f"the signature must cover {', '.join(missing)}")
    try:
        sent = parsedate_to_datetime(headers.get("date", ""))
    except (TypeError, ValueError) as exc:
        raise SignatureError("no valid Date header") from exc
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if abs((now or datetime.now(UTC)) - sent) > CLOCK_SKEW:
        raise SignatureError("the Date is more than five minutes away from ours")
    if headers.get("digest", "") != digest_of(body):
        raise SignatureError("the Digest does not match the body")
    return parsed


def verify(
    parsed: SignatureHeader, *, method: str, path: str, headers: dict[str, str], public_pem: str
) -> None:
    try:
        key = serialization.load_pem_public_key(public_pem.encode())
        if not isinstance(key, rsa.RSAPublicKey):
            raise SignatureError("the key is not an RSA key")
        key.verify(
            parsed.signature,
            _signing_string(method, path, headers, parsed.headers),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, KeyError, ValueError) as exc:
        if isinstance(exc, SignatureError):
            raise
        raise SignatureError("the signature does not verify with the sender's key") from exc
