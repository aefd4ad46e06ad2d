"""Personal data the server must read back for a moment, encrypted at rest.

The outbox's recipients and bodies (until the mail has left), a lead's contact address:
the server has to read them, so they cannot be sealed to the campaign's offline key. They
are encrypted with DATA_KEY, which the web and worker processes hold from the environment
and the database never does. A copy of the database alone, its dumps, backups, replicas,
WAL segments and dead row versions hold only ciphertext.

Each value is XChaCha20-Poly1305 (libsodium, through PyNaCl) with a random nonce; the
associated data names its purpose, so a value copied into another column does not open.
It starts with the id of its key, so that a key can be rotated: DATA_KEY_OLD keeps the
previous keys readable while `rotate_data_key` re-encrypts what is still stored.
"""

import base64
import hashlib
import secrets

from django.conf import settings
from nacl.bindings import (
    crypto_aead_xchacha20poly1305_ietf_decrypt,
    crypto_aead_xchacha20poly1305_ietf_encrypt,
)
from nacl.exceptions import CryptoError

FORMAT = b"R1"
KEY_ID_SIZE = 4
NONCE_SIZE = 24
KEY_SIZE = 32


class Unreadable(Exception):
    """A value that no key held by this process opens (an unknown key, or altered)."""


def parse_key(text: str) -> bytes:
    """A key as written in the environment: 32 bytes in base64. Refuses anything else,
    so that a truncated or placeholder key stops the process at startup."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != KEY_SIZE:
        raise ValueError("a data key is 32 bytes in base64 (python -m recours.core.at_rest)")
    return key


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"recours data key id\x00" + key).digest()[:KEY_ID_SIZE]


def _keys() -> tuple[bytes, dict[bytes, bytes]]:
    current = settings.DATA_KEY
    known = {key_id(key): key for key in [current, *settings.DATA_KEY_OLD]}
    return current, known


def encrypt(plaintext: bytes, *, purpose: str) -> bytes:
    current, _ = _keys()
    nonce = secrets.token_bytes(NONCE_SIZE)
    header = FORMAT + key_id(current)
    sealed = crypto_aead_xchacha20poly1305_ietf_encrypt(
        plaintext, header + purpose.encode(), nonce, current
    )
    return header + nonce + sealed


def decrypt(blob: bytes, *, purpose: str) -> bytes:
    blob = bytes(blob)
    header_size = len(FORMAT) + KEY_ID_SIZE
    if len(blob) < header_size + NONCE_SIZE or not blob.startswith(FORMAT):
        raise Unreadable("not a value encrypted at rest")
    header = blob[:header_size]
    _, known = _keys()
    key = known.get(header[len(FORMAT) :])
    if key is None:
        raise Unreadable("encrypted with a key this process does not hold")
    nonce = blob[header_size : header_size + NONCE_SIZE]
    try:
        return crypto_aead_xchacha20poly1305_ietf_decrypt(
            blob[header_size + NONCE_SIZE :], header + purpose.encode(), nonce, key
        )
    except CryptoError:
        raise Unreadable("altered, or encrypted for another purpose") from None


def is_current(blob: bytes) -> bool:
    """Whether the value is encrypted with DATA_KEY (not an older key)."""
    current, _ = _keys()
    return bytes(blob[len(FORMAT) : len(FORMAT) + KEY_ID_SIZE]) == key_id(current)


def encrypt_text(text: str, *, purpose: str) -> bytes:
    return encrypt(text.encode(), purpose=purpose) if text else b""


def decrypt_text(blob: bytes, *, purpose: str) -> str:
    return decrypt(blob, purpose=purpose).decode() if blob else ""


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_SIZE)).decode()


if __name__ == "__main__":  # pragma: no cover - prints a fresh key for the host
    print(new_key())
