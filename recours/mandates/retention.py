"""Retention (R2.5, ASVS 8.3.8): what is deleted, when, automatically.

- Unconfirmed sign-ups: 30 days after signing, or as soon as signing has closed.
- Confirmation tokens and the keyed hash of the signer's network: once the complaint is
  filed (they can no longer serve).
- Sealed identities, and the keyed hash of each signer's address with them: when the case
  is closed, plus RETENTION_AFTER_CASE_DAYS. The mandates keep their status, dates and
  evidence hashes, so the counter and the public log stay as they were: what they count
  (mandates given) has not changed, only who gave them is gone, and no address can be
  tested against them any more. (A withdrawal erases both at once.)
- Outbox rows already sent or failed (and wiped): after 30 days.

Each step works in batches, each batch in its own transaction, so a purge stopped at any
point leaves consistent data and the next run finishes the work. Only counts are logged.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from recours.campaigns.models import Campaign
from recours.core.models import OutboxEmail
from recours.mandates.models import Mandate, MandateToken, SubmissionKey

log = logging.getLogger(__name__)

UNCONFIRMED_DAYS = 30
OUTBOX_DAYS = 30
BATCH = 500


@dataclass
class PurgeReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


def _unconfirmed(now):
    not_accepting = Q(campaign__status__in=["closed", "filed", "case_closed"]) | Q(
        campaign__closes_at__lte=now
    )
    return Mandate.objects.filter(status=Mandate.Status.PENDING).filter(
        Q(signed_at__lt=now - timedelta(days=UNCONFIRMED_DAYS)) | not_accepting
    )


def _confirm_tokens_after_filing():
    return MandateToken.objects.filter(
        purpose=MandateToken.Purpose.CONFIRM,
        mandate__campaign__status__in=[Campaign.Status.FILED, Campaign.Status.CASE_CLOSED],
    )


def _network_traces_after_filing():
    return Mandate.objects.filter(
        campaign__status__in=[Campaign.Status.FILED, Campaign.Status.CASE_CLOSED]
    ).exclude(network_hash="")


def _identities_past_retention(now):
    cutoff = now - timedelta(days=settings.RETENTION_AFTER_CASE_DAYS)
    return Mandate.objects.filter(
        campaign__status=Campaign.Status.CASE_CLOSED,
        campaign__case_closed_at__lte=cutoff,
        sealed_identity__isnull=False,
    )


def _old_outbox(now):
    return OutboxEmail.objects.filter(
        status__in=[
            OutboxEmail.Status.SENT,
            OutboxEmail.Status.FAILED,
            OutboxEmail.Status.UNCERTAIN,
        ],
        created_at__lt=now - timedelta(days=OUTBOX_DAYS),
    )


def _old_submission_keys(now):
    return SubmissionKey.objects.filter(created_at__lt=now - timedelta(days=2))


def purge(*, dry_run: bool = False, batch: int = BATCH, pause: float = 0, now=None) -> PurgeReport:
    """Applies the retention policy; idempotent. With dry_run, only counts."""
    now = now or timezone.now()
    report = PurgeReport()
    steps = [
        ("unconfirmed sign-ups deleted", _unconfirmed(now), _delete),
        ("confirmation tokens deleted", _confirm_tokens_after_filing(), _delete),
        ("network traces deleted", _network_traces_after_filing(), _erase_network),
        ("sealed identities deleted", _identities_past_retention(now), _erase_identity(now)),
        ("sent mails deleted", _old_outbox(now), _delete),
        ("submission keys deleted", _old_submission_keys(now), _delete),
    ]
    for name, queryset, action in steps:
        if dry_run:
            report.add(name, queryset.count())
            continue
        report.add(name, 0)
        while True:
            with transaction.atomic():
                ids = list(queryset.values_list("pk", flat=True)[:batch])
                if not ids:
                    break
                report.add(name, action(queryset.model.objects.filter(pk__in=ids)))
            if pause:
                time.sleep(pause)
    for name, count in report.counts.items():
        log.info("purge%s: %s: %d", " (dry run)" if dry_run else "", name, count)
    return report


def _delete(queryset) -> int:
    # Tokens go with their mandates (CASCADE); count only the rows the step names.
    count = queryset.count()
    queryset.delete()
    return count


def _erase_network(queryset) -> int:
    return queryset.update(network_hash="")


def _erase_identity(now):
    def erase(queryset) -> int:
        # A purged mandate still counts, so it stays "confirmed", where the hash must be
        # unique: it takes a placeholder that names its row, not a person.
        placeholder = Concat(Value("purged:"), Cast("pk", CharField()))
        return queryset.update(
            sealed_identity=None,
            sealed_scan=None,
            contact_sealed=None,
            email_hash=placeholder,
            purged_at=now,
        )

    return erase
