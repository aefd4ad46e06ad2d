"""The encrypted save file: a person's answers, kept by them, never by us.

Argon2id (libsodium's "interactive" limits: 64 MiB, a fraction of a second, so that a
server answering many people is not brought down by it) turns the passphrase into a key; XSalsa20-
Poly1305 (libsodium's secretbox) encrypts and authenticates the answers. A wrong
passphrase or a changed byte fails the authentication: nothing is guessed or half-read.
"""

import base64
import json
import threading

import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.exceptions import CryptoError

FORMAT = "recours-droits/1"
OPS = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
MEM = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
MAX_SIZE = 64 * 1024
# Derivations at once in this process: each takes 64 MiB and a core for a fraction of a
# second, and a burst of them must not take a worker's memory or every core.
CONCURRENT_DERIVATIONS = threading.BoundedSemaphore(1)
WAIT_FOR_A_TURN_SECONDS = 5


class SaveFileError(ValueError):
    pass


def _key(passphrase: str, salt: bytes, ops: int, mem: int) -> bytes:
    if not CONCURRENT_DERIVATIONS.acquire(timeout=WAIT_FOR_A_TURN_SECONDS):
        raise SaveFileError("busy")
    try:
        return nacl.pwhash.argon2id.kdf(
            nacl.secret.SecretBox.KEY_SIZE, passphrase.encode(), salt, opslimit=ops, memlimit=mem
        )
    finally:
        CONCURRENT_DERIVATIONS.release()


def seal_answers(answers: dict, passphrase: str) -> bytes:
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_key(passphrase, salt, OPS, MEM))
    sealed = box.encrypt(json.dumps(answers, ensure_ascii=False).encode())
    return json.dumps(
        {
            "format": FORMAT,
            "kdf": {
                "name": "argon2id",
                "ops": OPS,
                "mem": MEM,
                "salt": base64.b64encode(salt).decode(),
            },
            "data": base64.b64encode(sealed).decode(),
        }
    ).encode()


def open_answers(content: bytes, passphrase: str) -> dict:
    if len(content) > MAX_SIZE:
        raise SaveFileError("too_large")
    try:
        envelope = json.loads(content)
        if envelope.get("format") != FORMAT:
            raise SaveFileError("not_a_save_file")
        kdf = envelope["kdf"]
        # Only the parameters this site writes: a file cannot make us spend more.
        if (kdf["name"], kdf["ops"], kdf["mem"]) != ("argon2id", OPS, MEM):
            raise SaveFileError("not_a_save_file")
        salt = base64.b64decode(kdf["salt"], validate=True)
        sealed = base64.b64decode(envelope["data"], validate=True)
        if len(salt) != nacl.pwhash.argon2id.SALTBYTES:
            raise SaveFileError("damaged")
    except SaveFileError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SaveFileError("damaged") from exc
    key = _key(passphrase, salt, kdf["ops"], kdf["mem"])  # may be "busy"
    try:
        box = nacl.secret.SecretBox(key)
        answers = json.loads(box.decrypt(sealed))
    except (CryptoError, ValueError) as exc:
        raise SaveFileError("wrong_passphrase") from exc
    if not isinstance(answers, dict):
        raise SaveFileError("damaged")
    return answers
