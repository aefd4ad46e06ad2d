"""Fills the demo campaign of a bench server with mandates, fast, so that the load bench
can show whether the cost of a request grows with the campaign's size.

    python bench/preload.py CONFIRMED PENDING TOKENS_OUT   (with the server's environment)

Adds CONFIRMED confirmed mandates (each with a log entry and a manage token) and PENDING
pending ones whose confirmation tokens are written, one per line, to TOKENS_OUT for the
confirm scenario. Sealed records are random bytes of a real record's size: the server
never opens them. Rows go in with COPY on PostgreSQL and executemany on SQLite.
"""

import io
import os
import secrets
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import F, Max  # noqa: E402

from recours.campaigns.domain import published_texts  # noqa: E402
from recours.campaigns.models import Campaign  # noqa: E402
from recours.core.crypto import new_token  # noqa: E402
from recours.mandates.log_tree import rebuild  # noqa: E402
from recours.mandates.models import LogEntry, Mandate, MandateToken  # noqa: E402

BATCH = 20_000
SEALED_SIZE = 330  # bytes of a sealed demo record


def insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(_copy_value(value) for value in row) + "\n")
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
        else:
            marks = ", ".join("%s" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - names are constants
            cursor.executemany(sql, rows)


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def main(confirmed: int, pending: int, tokens_out: Path) -> None:
    campaign = Campaign.objects.get(slug="technopolice")
    texts = published_texts(campaign)
    now = datetime.now(UTC)
    first_id = (Mandate.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    first_position = (
        LogEntry.objects.filter(campaign=campaign).aggregate(top=Max("position"))["top"] or -1
    ) + 1
    mandate_columns = [
        "id", "campaign_id", "status", "email_hash", "email_domain_hash", "network_hash",
        "sealed_identity", "sealed_key_id", "confirmed_sealed_sha256", "complaint_version_id",
        "mandate_version_id", "language", "signed_at", "confirmed_at", "confirmation_method",
        "evidence_sha256", "commitment_salt", "commitment", "log_position",
    ]  # fmt: skip
    token_columns = ["mandate_id", "purpose", "token_hash", "expires_at", "created_at"]
    log_columns = [
        "campaign_id", "position", "kind", "commitment", "created_at", "previous_hash",
        "entry_hash",
    ]  # fmt: skip
    total = confirmed + pending
    with tokens_out.open("w") as out, transaction.atomic():
        for start in range(0, total, BATCH):
            mandates, tokens, entries = [], [], []
            for n in range(start, min(start + BATCH, total)):
                pk = first_id + n
                is_confirmed = n < confirmed
                position = first_position + n if is_confirmed else None
                mandates.append((
                    pk, campaign.pk, "confirmed" if is_confirmed else "pending",
                    secrets.token_hex(32), secrets.token_hex(32), "",
                    secrets.token_bytes(SEALED_SIZE), "bench", secrets.token_hex(32) if is_confirmed else "",
                    texts.complaint.pk, texts.mandate.pk, "fr", now - timedelta(days=1),
                    now if is_confirmed else None, "email" if is_confirmed else "",
                    secrets.token_hex(32) if is_confirmed else "", secrets.token_hex(16),
                    secrets.token_hex(32) if is_confirmed else "", position,
                ))  # fmt: skip
                token, token_hash = new_token()
                if is_confirmed:
                    tokens.append((pk, "manage", token_hash, None, now))
                    entries.append((
                        campaign.pk, position, "add", secrets.token_hex(32), now,
                        secrets.token_hex(32), secrets.token_hex(32),
                    ))  # fmt: skip
                else:
                    tokens.append((pk, "confirm", token_hash, campaign.closes_at, now))
                    out.write(token + "\n")
            insert(Mandate._meta.db_table, mandate_columns, mandates)
            insert(MandateToken._meta.db_table, token_columns, tokens)
            insert(LogEntry._meta.db_table, log_columns, entries)
        Campaign.objects.filter(pk=campaign.pk).update(
            confirmed_count=F("confirmed_count") + confirmed
        )
        # The log's stored Merkle nodes, as appending each entry would have made them.
        rebuild(campaign.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The ids were given explicitly: move the sequence past them.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('mandates_mandate', 'id'), "
                "(SELECT max(id) FROM mandates_mandate))"
            )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
