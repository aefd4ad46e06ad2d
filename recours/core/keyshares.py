"""Splitting a campaign's private key between several holders, and joining it again.

Shamir secret sharing from PyCryptodome (maintained, audited, with its own test suite):
its `Shamir` works on 16-byte secrets over GF(2^128), so the 32-byte X25519 key is shared
as two independent 16-byte halves with the same share indexes. Any `threshold` shares
rebuild both halves; fewer give no information about either.
"""

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from Crypto.Protocol.SecretSharing import Shamir
from nacl.public import PrivateKey

SHARE_FORMAT = "recours-key-share/1"


class ShareError(ValueError):
    """A share set that cannot rebuild the key; the message says why, for people."""


@dataclass(frozen=True)
class KeyShare:
    campaign: str
    public_key: str
    threshold: int
    count: int
    index: int
    parts: tuple[bytes, bytes]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": SHARE_FORMAT,
                "campaign": self.campaign,
                "public_key": self.public_key,
                "threshold": self.threshold,
                "shares": self.count,
                "index": self.index,
                "parts": [part.hex() for part in self.parts],
            },
            indent=2,
        )


def split_private_key(
    private_b64: str, *, campaign: str, public_key: str, threshold: int, count: int
) -> list[KeyShare]:
    if not 1 <= threshold <= count <= 255:
        raise ShareError("the threshold must be between 1 and the number of shares (255 at most)")
    secret = base64.b64decode(private_b64)
    halves = [
        _split_half(secret[:16], threshold, count),
        _split_half(secret[16:], threshold, count),
    ]
    return [
        KeyShare(campaign, public_key, threshold, count, index, (first, second))
        for (index, first), (_, second) in zip(*halves, strict=True)
    ]


def _split_half(half: bytes, threshold: int, count: int) -> list[tuple[int, bytes]]:
    if threshold == 1:  # a constant polynomial: every share is the secret itself
        return [(index, half) for index in range(1, count + 1)]
    return Shamir.split(threshold, count, half)


def read_share(path: Path) -> KeyShare:
    try:
        data = json.loads(Path(path).read_text())
        if data.get("format") != SHARE_FORMAT:
            raise ShareError(f"{path} is not a Recours key share")
        parts = tuple(bytes.fromhex(part) for part in data["parts"])
        if len(parts) != 2 or any(len(part) != 16 for part in parts):
            raise ShareError(f"{path}: the share is damaged (wrong length)")
        return KeyShare(
            campaign=data["campaign"],
            public_key=data["public_key"],
            threshold=int(data["threshold"]),
            count=int(data["shares"]),
            index=int(data["index"]),
            parts=parts,
        )
    except OSError as exc:
        raise ShareError(f"cannot read the share {path}: {exc.strerror}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, ShareError):
            raise
        raise ShareError(f"{path} is not a readable key share (damaged or truncated)") from exc


def combine_shares(shares: list[KeyShare], *, public_key: str | None = None) -> str:
    """The private key (base64) rebuilt from `shares`, checked against the public key."""
    if not shares:
        raise ShareError("no share given")
    first = shares[0]
    expected_public = public_key or first.public_key
    if any(
        (share.campaign, share.public_key, share.threshold)
        != (first.campaign, first.public_key, first.threshold)
        for share in shares
    ):
        raise ShareError("these shares come from different keys or campaigns")
    if first.public_key != expected_public:
        raise ShareError("these shares belong to another key than the one this file was sealed to")
    unique = {share.index: share for share in shares}
    if len(unique) < first.threshold:
        raise ShareError(
            f"{len(unique)} distinct share(s) given, {first.threshold} needed to rebuild the key"
        )
    chosen = list(unique.values())[: first.threshold]
    halves = [
        _combine_half([(s.index, s.parts[part]) for s in chosen], first.threshold)
        for part in (0, 1)
    ]
    private = PrivateKey(halves[0] + halves[1])
    if base64.b64encode(bytes(private.public_key)).decode() != expected_public:
        raise ShareError("these shares do not rebuild the key: one of them is damaged or forged")
    return base64.b64encode(bytes(private)).decode()


def _combine_half(parts: list[tuple[int, bytes]], threshold: int) -> bytes:
    if threshold == 1:
        return parts[0][1]
    return Shamir.combine(parts)
