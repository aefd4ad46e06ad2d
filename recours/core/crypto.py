"""Sealing and keyed hashing: the only cryptography Recours does, all through libsodium
(PyNaCl) and the standard library's HMAC. Nothing home-made.

The server seals signer identities with a campaign's *public* key (a sealed box): it can
write them but never read them. Opening needs the private key, which lives offline.
"""

import base64
import hashlib
import hmac
import json
import secrets
from pathlib import Path

from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox


class SealingError(ValueError):
    pass


def generate_keypair() -> tuple[str, str]:
    """A new X25519 key pair as (public, private), both base64."""
    private = PrivateKey.generate()
    return (
        base64.b64encode(bytes(private.public_key)).decode(),
        base64.b64encode(bytes(private)).decode(),
    )


def public_key_is_valid(public_b64: str) -> bool:
    try:
        return len(base64.b64decode(public_b64, validate=True)) == PublicKey.SIZE
    except ValueError:
        return False


def canonical_json(value) -> bytes:
    """One byte string per value, so that its hash is reproducible anywhere."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def key_id(public_b64: str) -> str:
    """A short, stable name for a public key, stored beside what it sealed."""
    return hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:16]


def fingerprint(public_b64: str) -> str:
    """What the key's holders read aloud to check that the server holds their key: the
    first 16 bytes of the key's SHA-256, in eight groups of four hex digits."""
    digest = hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def seal(public_b64: str, payload: dict) -> bytes:
    public = PublicKey(base64.b64decode(public_b64))
    return SealedBox(public).encrypt(canonical_json(payload))


def unseal(private_b64: str, sealed: bytes) -> dict:
    """Opens a sealed record. Runs only where the private key is: offline, or in tests."""
    try:
        private = PrivateKey(base64.b64decode(private_b64))
        return json.loads(SealedBox(private).decrypt(bytes(sealed)))
    except (CryptoError, ValueError) as exc:
        raise SealingError("this key does not open this record") from exc


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA256 keyed with the server's pepper, over unambiguous parts."""
    message = b"\x1f".join(part.encode() for part in parts)
    return hmac.new(settings.PEPPER.encode(), message, hashlib.sha256).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (a national extract does not fit in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def new_token() -> tuple[str, str]:
    """A random URL-safe token and the hash to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_of(private_b64: str) -> str:
    return base64.b64encode(bytes(PrivateKey(base64.b64decode(private_b64)).public_key)).decode()
