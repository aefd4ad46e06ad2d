"""The sign intake: the sign form's request stores a signature in one statement and
answers; the worker records it (mandate, tokens, mail, tally) a moment later.

Why: at a surge (a TV mention, a large account sharing the campaign) the request is
where people wait. What a signature must do before it is acknowledged is to be durably
stored, once: the identity sealed to the campaign key and the row committed (PostgreSQL
with synchronous_commit on, SQLite with synchronous FULL). Looking up the person's
earlier mandate, issuing the tokens, rendering and queuing the mail and counting the hour
can wait a second, and are cheaper done a batch at a time, in one transaction (R1.6).

The guarantees hold through the intake: a form sent again with the same one-time key is
stored once (the intake's unique key while it waits, the spent submission key after);
the worker records a batch and deletes it in one transaction, so a crash leaves each
signature either waiting or recorded, never both nor half; the address waits encrypted
with DATA_KEY, like the outbox, and is gone with the row.
"""

import logging
import secrets
from collections import Counter

from django.db import transaction
from django.utils import timezone

from recours.campaigns import share_counters, tallies
from recours.campaigns.models import Campaign
from recours.campaigns.tallies import hour_of, start_of
from recours.core import at_rest
from recours.core.worker import Step
from recours.mandates.domain import Signature, SignOutcome, record_signatures
from recours.mandates.models import SignIntake, SubmissionKey

log = logging.getLogger(__name__)

ADDRESS_PURPOSE = "sign-intake"
BATCH = 100


def receive_signature(signature: Signature, *, via: str = "") -> bool:
    """Stores a prepared signature for the worker, in one statement committed before it
    returns. False if the same form (its one-time key) was stored before and still
    waits: nothing more is stored. The caller answers the same either way."""
    return SignIntake(
        # A form without a key (none is built so) is simply never a repeat.
        key_hash=signature.key_hash or SubmissionKey.hash_of(secrets.token_hex(16)),
        campaign=signature.campaign,
        email_hash=signature.email_hash,
        address_sealed=at_rest.encrypt(signature.email.encode(), purpose=ADDRESS_PURPOSE),
        via=via,
        **signature.fields,
    ).store()


def record_received(*, limit: int = BATCH) -> Counter:
    """Records up to `limit` waiting signatures in one transaction, oldest first, and
    deletes them; returns how many of each outcome. Several workers may run: each claims
    rows the others do not hold (SKIP LOCKED on PostgreSQL; SQLite's writers take turns).

    A signature is recorded if its campaign was taking signatures when it arrived; one
    whose address no key opens (DATA_KEY lost) cannot be mailed, so it is dropped and
    counted; of one person's signatures in a batch, the last is recorded. Each created
    mandate is added to the tally of the hour it arrived in."""
    outcomes = Counter()
    with transaction.atomic():
        rows = list(SignIntake.objects.select_for_update(skip_locked=True).order_by("pk")[:limit])
        if not rows:
            return outcomes
        # The campaigns once each, not joined to every row: that copied a campaign's
        # texts into each of a batch's hundred rows. The mail names the organisation.
        campaigns = Campaign.objects.select_related("organisation").in_bulk(
            {row.campaign_id for row in rows}
        )
        for row in rows:
            row.campaign = campaigns[row.campaign_id]
        # A person who signed several times since the last batch: the last signature
        # stands (it would take the place of the others and void their links at once);
        # the others send nothing.
        latest = {(row.campaign_id, row.email_hash): row for row in rows}
        superseded = [
            row.key_hash for row in rows if latest[row.campaign_id, row.email_hash] is not row
        ]
        if superseded:
            outcomes["superseded"] = len(superseded)
            # Their forms are spent too: sent again later, they change nothing.
            SubmissionKey.spend_hashes(superseded)
        signatures = []
        for row in latest.values():
            signature = _signature(row)
            if isinstance(signature, str):
                outcomes[signature] += 1
            else:
                signatures.append((row, signature))
        recorded = record_signatures([signature for _, signature in signatures])
        outcomes.update(recorded)
        SignIntake.objects.filter(pk__in=[row.pk for row in rows]).delete()
        _add_to_tallies(
            [row for (row, _), outcome in zip(signatures, recorded, strict=True)
             if outcome is SignOutcome.CREATED]
        )  # fmt: skip
    # An aggregate per channel and day, outside the transaction.
    channels = Counter((row.campaign_id, row.via) for row, _ in signatures)
    for (campaign_id, via), count in channels.items():
        share_counters.count_signature(campaign_id, via, amount=count)
    if outcomes["unreadable"]:
        log.error(
            "sign intake: %d signature(s) whose address no key opens, dropped",
            outcomes["unreadable"],
        )
    return outcomes


def _add_to_tallies(created: list[SignIntake]) -> None:
    """The sign-ups of each campaign's hours, last before the commit and in one order in
    every worker: each locks its hour's row."""
    counts = Counter((row.campaign_id, hour_of(row.signed_at)) for row in created)
    for (campaign_id, hour), count in sorted(counts.items()):
        tallies.add(campaign_id, tallies.Metric.SIGNUP, amount=count, at=start_of(hour))


def _signature(row: SignIntake) -> Signature | str:
    """The signature a waiting row holds, or why it cannot be recorded."""
    if not row.campaign.is_accepting_signatures(row.signed_at):
        return "closed"
    try:
        email = at_rest.decrypt(bytes(row.address_sealed), purpose=ADDRESS_PURPOSE).decode()
    except at_rest.Unreadable:
        return "unreadable"
    return Signature(
        campaign=row.campaign,
        email=email,
        email_hash=row.email_hash,
        key_hash=row.key_hash,
        fields={name: getattr(row, name) for name in SIGNATURE_FIELDS},
    )


SIGNATURE_FIELDS = [
    "email_domain_hash",
    "network_hash",
    "contact_sealed",
    "sealed_identity",
    "sealed_key_id",
    "complaint_version_id",
    "mandate_version_id",
    "language",
    "signed_at",
]


def record_batch(batch: int) -> int:
    return sum(record_received(limit=batch).values())


def oldest_waiting_seconds() -> float | None:
    """How long the oldest signature received has waited for the worker: a few seconds
    at most while a worker runs (the health check and the metrics watch it)."""
    oldest = SignIntake.objects.order_by("pk").values_list("signed_at", flat=True).first()
    return None if oldest is None else (timezone.now() - oldest).total_seconds()


def gauges() -> list[str]:
    """For the metrics page: the signatures waiting for the worker, and the oldest's wait."""
    return [
        "# TYPE recours_signatures_waiting gauge",
        f"recours_signatures_waiting {SignIntake.objects.count()}",
        "# TYPE recours_signatures_oldest_waiting_seconds gauge",
        f"recours_signatures_oldest_waiting_seconds {oldest_waiting_seconds() or 0:.0f}",
    ]


# The worker's part (core/worker.py).
WORKER_STEP = Step("sign intake", record_batch, oldest_waiting_seconds)
