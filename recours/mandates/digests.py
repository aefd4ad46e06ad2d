"""The hashes that bind a mandate's evidence and the transparency log together.

Pure functions over strings: the offline dossier build recomputes them from an export, so
this module imports no model (and so no database settings)."""

import secrets
from datetime import datetime

from recours.core.crypto import canonical_json, sha256_hex

GENESIS = "0" * 64


def new_salt() -> str:
    return secrets.token_hex(16)


def commitment_for(*, salt: str, evidence_sha256: str, sealed_sha256: str) -> str:
    return sha256_hex(
        bytes.fromhex(salt) + bytes.fromhex(evidence_sha256) + bytes.fromhex(sealed_sha256)
    )


def entry_digest(
    *,
    previous_hash: str,
    position: int,
    kind: str,
    commitment: str,
    ref_position: int | None,
    created_at: datetime,
) -> str:
    body = {
        "position": position,
        "kind": kind,
        "commitment": commitment,
        "ref_position": ref_position,
        "created_at": created_at.isoformat(),
    }
    return sha256_hex(bytes.fromhex(previous_hash) + canonical_json(body))


def evidence_digest_of(**fields: str) -> str:
    """The SHA-256 fixed at confirmation over the texts' hashes, the sealed record's hash,
    the UTC times and the method (R1.6); recomputed offline from an export to check it."""
    return sha256_hex(
        canonical_json(
            {
                "campaign": fields["campaign"],
                "complaint_sha256": fields["complaint_sha256"],
                "mandate_sha256": fields["mandate_sha256"],
                "sealed_identity_sha256": fields["sealed_sha256"],
                "signed_at": fields["signed_at"],
                "confirmed_at": fields["confirmed_at"],
                "method": fields["method"],
            }
        )
    )
