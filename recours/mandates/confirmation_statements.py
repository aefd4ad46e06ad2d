"""A confirmation's statements, written by hand (core/statements.py says why): the token
and its mandate read and locked, the token spent, the counter's update and the mandate
saved. The rules stay in domain.confirm_mandate; these only say them in SQL."""

from functools import cache

from django.db import connection

from recours.campaigns.models import Campaign
from recours.core.statements import column, columns, cursor, db_value, instance, table
from recours.mandates.models import Mandate, MandateToken

TOKEN_FIELDS = ("id", "mandate_id", "purpose", "used_at", "expires_at")
# What the confirmation's checks and evidence read; any other field loads when read.
MANDATE_FIELDS = (
    "id",
    "campaign_id",
    "status",
    "sealed_identity",
    "signed_at",
    "complaint_version_id",
    "mandate_version_id",
)


def token_row(token_hash: str, purpose: str) -> MandateToken | None:
    """The token of this hash and purpose with its mandate (`row.mandate`), both rows
    locked for the transaction, or None."""
    with cursor() as reading:
        reading.execute(_token_row_sql(connection.vendor), [token_hash, purpose])
        found = reading.fetchone()
    if found is None:
        return None
    split = len(TOKEN_FIELDS)
    row = instance(MandateToken, TOKEN_FIELDS, found[:split])
    row.mandate = instance(Mandate, MANDATE_FIELDS, found[split:])
    return row


@cache
def _token_row_sql(vendor: str) -> str:
    t, m = MandateToken, Mandate
    # SQLite has no row locks: its IMMEDIATE transaction holds the database's write lock.
    lock = " FOR UPDATE OF t, m" if connection.features.has_select_for_update_of else ""
    return (
        f"SELECT {columns(t, TOKEN_FIELDS, 't')}, {columns(m, MANDATE_FIELDS, 'm')} "  # noqa: S608 - our own names
        f"FROM {table(t)} t INNER JOIN {table(m)} m ON m.{column(m, 'id')} = t.{column(t, 'mandate_id')} "
        f"WHERE t.{column(t, 'token_hash')} = %s AND t.{column(t, 'purpose')} = %s{lock}"
    )


def spend_token(token_id: int, now) -> bool:
    """Marks the token used now, unless it was already: True if this call spent it."""
    return _run(_spend_sql(connection.vendor), [db_value(MandateToken, "used_at", now), token_id])


def count_in(campaign_id: int, now) -> bool:
    """Adds one to the campaign's counter if it takes mandates now; the update locks the
    campaign's row until the transaction ends."""
    at = db_value(Campaign, "opens_at", now)
    return _run(_count_sql(connection.vendor), [campaign_id, Campaign.Status.OPEN, at, at])


def save_if_pending(mandate_id: int, values: dict) -> bool:
    """Saves these fields of a mandate that is still pending: True if it was."""
    params = [db_value(Mandate, name, value) for name, value in values.items()]
    return _run(
        _save_sql(connection.vendor, tuple(values)),
        [*params, mandate_id, Mandate.Status.PENDING],
    )


# Each statement written once per process: writing them went some thirty times a
# confirmation through the connection's proxy and the models' meta (bench/load.py).
@cache
def _spend_sql(vendor: str) -> str:
    t, used_at = MandateToken, column(MandateToken, "used_at")
    return (
        f"UPDATE {table(t)} SET {used_at} = %s "  # noqa: S608 - our own names
        f"WHERE {column(t, 'id')} = %s AND {used_at} IS NULL"
    )


@cache
def _count_sql(vendor: str) -> str:
    c, count = Campaign, column(Campaign, "confirmed_count")
    return (
        f"UPDATE {table(c)} SET {count} = {count} + 1 "  # noqa: S608 - our own names
        f"WHERE {column(c, 'id')} = %s AND {column(c, 'status')} = %s "
        f"AND {column(c, 'opens_at')} <= %s AND {column(c, 'closes_at')} > %s"
    )


@cache
def _save_sql(vendor: str, names: tuple[str, ...]) -> str:
    m = Mandate
    return (
        f"UPDATE {table(m)} SET {', '.join(f'{column(m, name)} = %s' for name in names)} "  # noqa: S608 - our own names
        f"WHERE {column(m, 'id')} = %s AND {column(m, 'status')} = %s"
    )


def _run(sql: str, params: list) -> bool:
    with cursor() as changing:
        changing.execute(sql, params)
        return changing.rowcount > 0
