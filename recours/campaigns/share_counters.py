"""Visits and sign-ups that came through a tagged link (`?via=`), per campaign, channel
and day.

A campaign page is served from the cache at thousands of requests a second in a surge,
most of them through shared links, and most sign-ups of a surge come through one of them:
a database write per view would cap the page, and a write per sign-up to one channel's
row of the day would make every signature wait on that row. Each adds one to an atomic
counter in the shared cache instead (Redis in production: one command); `flush` moves the
counters into `ShareCount` when the organisers' figures are read and at the daily `purge`.
Counters live KEEP_DAYS in the cache: figures not flushed within that many days are lost,
never doubled (the move subtracts what it read). Nothing about the visitor or the signer
is kept, not even in the cache: a count, per channel and day.
"""

from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

from recours.campaigns.models import Campaign
from recours.campaigns.sharing import CHANNELS, add_to_share_count

KEEP_DAYS = 8
FIELDS = ("visits", "signatures")  # ShareCount's figures


def _key(field: str, campaign_id: int, day: date, channel: str) -> str:
    return f"{field}:{campaign_id}:{day.isoformat()}:{channel}"


def count_visit(campaign_id: int, channel: str) -> None:
    """One more view of the campaign page through a link tagged `channel` (one of ours)."""
    _count("visits", campaign_id, channel)


def count_signature(campaign_id: int, channel: str, amount: int = 1) -> None:
    """`amount` more sign-ups through a link tagged `channel`, or nothing if it is not
    one of ours: an aggregate, never a person."""
    if channel in CHANNELS:
        _count("signatures", campaign_id, channel, amount)


def _count(field: str, campaign_id: int, channel: str, amount: int = 1) -> None:
    key = _key(field, campaign_id, timezone.localdate(), channel)
    try:
        cache.incr(key, amount)
    except ValueError:  # the day's first: create it, or add to a concurrent creation
        if not cache.add(key, amount, KEEP_DAYS * 86400):
            cache.incr(key, amount)


def flush(campaign_ids: list[int] | None = None) -> dict[str, int]:
    """Moves the cached counters of the last KEEP_DAYS days into ShareCount. Returns how
    many visits and sign-ups it moved."""
    if campaign_ids is None:
        campaign_ids = list(
            Campaign.objects.exclude(status=Campaign.Status.DRAFT).values_list("pk", flat=True)
        )
    today = timezone.localdate()
    days = [today - timedelta(days=back) for back in range(KEEP_DAYS)]
    wanted = {
        _key(field, campaign_id, day, channel): (field, campaign_id, day, channel)
        for field in FIELDS
        for campaign_id in campaign_ids
        for day in days
        for channel in CHANNELS
    }
    moved = dict.fromkeys(FIELDS, 0)
    for key, count in cache.get_many(list(wanted)).items():
        if not count:
            continue
        field, campaign_id, day, channel = wanted[key]
        cache.decr(key, count)  # what is counted meanwhile stays for the next move
        add_to_share_count(campaign_id, channel, day, field, count)
        moved[field] += count
    return moved
