"""The public transparency log of confirmed mandates.

Anyone can check that the published counter is honest and a signer can check that their
mandate is counted, without the log saying anything about who signed:

- a commitment is SHA-256(salt || evidence digest || SHA-256(sealed record)), with a random
  per-mandate salt that never leaves the server, so it cannot be linked to a person;
- each entry's hash covers the previous entry's hash, so removing or altering one breaks
  the chain from that point on;
- the entries are the leaves of a Merkle tree (RFC 9162), whose root is published with the
  count; a receipt (commitment and position) gets an inclusion proof against that root.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from recours.campaigns.domain import forget_count
from recours.campaigns.models import Campaign
from recours.core import statements
from recours.core.caches import forget_now_and_after_commit
from recours.mandates.digests import GENESIS, commitment_for, entry_digest, new_salt
from recours.mandates.log_tree import StoredTree, rebuild, store_completed
from recours.mandates.models import LogEntry, Mandate

log = logging.getLogger(__name__)


def append_entry(
    *, campaign_id: int, kind: str, commitment: str, ref_position=None, head_forgotten=False
) -> LogEntry:
    """Appends one entry. Call inside the transaction that changes the mandate, after the
    campaign row has been locked (the counter update does it), so positions never clash.
    `head_forgotten`: the caller called `forget_head` in this transaction, before that
    lock, so that no round trip to the cache holds up the others waiting for it."""
    last = _last_entry(campaign_id)
    position = last[0] + 1 if last else 0
    previous_hash = last[1] if last else GENESIS
    created_at = timezone.now()
    entry = LogEntry(
        campaign_id=campaign_id,
        position=position,
        kind=kind,
        commitment=commitment,
        ref_position=ref_position,
        created_at=created_at,
        previous_hash=previous_hash,
        entry_hash=entry_digest(
            previous_hash=previous_hash,
            position=position,
            kind=kind,
            commitment=commitment,
            ref_position=ref_position,
            created_at=created_at,
        ),
    )
    statements.insert([entry])  # every confirmation's: by hand (core/statements.py)
    store_completed(
        campaign_id=campaign_id,
        position=position,
        entry_hash=entry.entry_hash,
        previous_hash=previous_hash,
    )
    if not head_forgotten:
        forget_head(campaign_id)
    return entry


def forget_head(campaign_id: int) -> None:
    """Drops the campaign's cached log head, in the transaction that appends to the log;
    also after commit: a head cached from the old rows would stay published 5 minutes."""
    forget_now_and_after_commit(_head_key(campaign_id))


def forget_published(campaign_id: int) -> None:
    """Drops the cached counter and log head of a campaign whose counter and log this
    transaction changes. Call it before the counter's update: that update locks the
    campaign's row until the commit, and every change of the counter waits for it, so a
    round trip to the cache under it holds them all up (issue 16); then give the log's
    functions head_forgotten=True."""
    forget_count(campaign_id, _head_key(campaign_id))


def _last_entry(campaign_id: int) -> tuple[int, str] | None:
    """(position, entry hash) of the campaign's last entry, read by hand as every
    confirmation reads it (core/statements.py)."""
    with statements.cursor() as cursor:
        cursor.execute(_last_entry_sql(connection.vendor), [campaign_id])
        return cursor.fetchone()


@lru_cache
def _last_entry_sql(vendor: str) -> str:
    position = statements.column(LogEntry, "position")
    return (
        f"SELECT {position}, {statements.column(LogEntry, 'entry_hash')} "  # noqa: S608 - our own names
        f"FROM {statements.table(LogEntry)} WHERE {statements.column(LogEntry, 'campaign_id')} = %s "
        f"ORDER BY {position} DESC LIMIT 1"
    )


def commit_to(mandate: Mandate) -> None:
    """Gives a mandate, in memory, its salt and commitment (over its evidence and the
    hash of its sealed record); the caller saves them."""
    mandate.commitment_salt = new_salt()
    mandate.commitment = commitment_for(
        salt=mandate.commitment_salt,
        evidence_sha256=mandate.evidence_sha256,
        sealed_sha256=mandate.confirmed_sealed_sha256,
    )


def log_confirmation(mandate: Mandate, *, save: bool = True, head_forgotten=False) -> None:
    """Appends a committed mandate to the log and saves its position there (unless the
    caller saves it with the rest of the mandate); `head_forgotten` as in append_entry."""
    entry = append_entry(
        campaign_id=mandate.campaign_id,
        kind=LogEntry.Kind.ADD,
        commitment=mandate.commitment,
        head_forgotten=head_forgotten,
    )
    mandate.log_position = entry.position
    if save:
        Mandate.objects.filter(pk=mandate.pk).update(log_position=entry.position)


def record_confirmation(mandate: Mandate) -> None:
    """Gives a just-confirmed mandate its salt and commitment and logs it."""
    commit_to(mandate)
    Mandate.objects.filter(pk=mandate.pk).update(
        commitment_salt=mandate.commitment_salt, commitment=mandate.commitment
    )
    log_confirmation(mandate)


def record_removal(mandate: Mandate, *, head_forgotten=False) -> None:
    """Logs that a confirmed mandate left the counter; `head_forgotten` as in append_entry."""
    if mandate.log_position is None:
        return  # never confirmed, never logged
    append_entry(
        campaign_id=mandate.campaign_id,
        kind=LogEntry.Kind.REMOVE,
        commitment=mandate.commitment,
        ref_position=mandate.log_position,
        head_forgotten=head_forgotten,
    )


def _healed(campaign_id: int, read):
    """Reads the stored tree; if nodes are missing (entries appended by an older release
    while the upgrade's migration ran), stores them all again, under the lock that appends
    take, then reads again."""
    try:
        return read()
    except LookupError as exc:
        log.warning(
            "transparency: stored tree of campaign %d incomplete (%s); rebuilt", campaign_id, exc
        )
        with transaction.atomic():
            Campaign.objects.select_for_update().filter(pk=campaign_id).first()
            rebuild(campaign_id)
        return read()


@dataclass(frozen=True)
class LogHead:
    size: int
    count: int
    root: str
    head_hash: str


def _head_key(campaign_id: int) -> str:
    return f"transparency-head:{campaign_id}"


def log_head(campaign_id: int) -> LogHead:
    head = cache.get(_head_key(campaign_id))
    if head is None:
        entries = LogEntry.objects.filter(campaign_id=campaign_id)
        last = entries.order_by("-position").values_list("position", "entry_hash").first()
        size = last[0] + 1 if last else 0
        removals = entries.filter(ref_position__isnull=False).count()  # on its index
        head = LogHead(
            size=size,
            count=size - 2 * removals,
            root=_healed(campaign_id, lambda: StoredTree(campaign_id, size).root()).hex(),
            head_hash=last[1] if last else GENESIS,
        )
        cache.set(_head_key(campaign_id), head, 300)
    return head


def verify_chain(entries: list[LogEntry]) -> list[str]:
    """Problems found when recomputing the chain; empty when it is whole."""
    problems = []
    previous = GENESIS
    for expected_position, entry in enumerate(entries):
        if entry.position != expected_position:
            problems.append(f"entry {expected_position} is missing (found {entry.position})")
            break
        digest = entry_digest(
            previous_hash=previous,
            position=entry.position,
            kind=entry.kind,
            commitment=entry.commitment,
            ref_position=entry.ref_position,
            created_at=entry.created_at,
        )
        if entry.previous_hash != previous or entry.entry_hash != digest:
            problems.append(f"entry {entry.position} was altered or its predecessor removed")
            break
        previous = entry.entry_hash
    return problems


@dataclass(frozen=True)
class ReceiptCheck:
    found: bool
    withdrawn_at: datetime | None = None
    proof: list[str] | None = None
    leaf: str = ""
    size: int = 0
    root: str = ""


def check_receipt(campaign_id: int, *, commitment: str, position: int) -> ReceiptCheck:
    """Whether a receipt is in the log, with its inclusion proof against the current tree;
    says nothing of others. A few indexed reads whatever the log's size (log_tree.py)."""
    entries = LogEntry.objects.filter(campaign_id=campaign_id)
    entry = entries.filter(position=position).only("kind", "commitment").first()
    if entry is None or entry.kind != LogEntry.Kind.ADD or entry.commitment != commitment:
        return ReceiptCheck(found=False)
    size = entries.order_by("-position").values_list("position", flat=True).first() + 1
    removed_at = list(  # on the (campaign, ref_position) index; no ordering to force another
        entries.filter(ref_position=position, kind=LogEntry.Kind.REMOVE)
        .order_by()
        .values_list("created_at", flat=True)[:1]
    )
    leaf, proof, root = _healed(
        campaign_id, lambda: StoredTree(campaign_id, size).inclusion(position)
    )
    return ReceiptCheck(
        found=True,
        withdrawn_at=removed_at[0] if removed_at else None,
        proof=[node.hex() for node in proof],
        leaf=leaf.hex(),
        size=size,
        root=root.hex(),
    )
