"""Visits that came through a tagged link (`?via=`), per campaign, channel and day.

A campaign page is served from the cache at thousands of requests a second in a surge,
most of them through shared links: a database write per view would cap it. A tagged view
adds one to an atomic counter in the shared cache (Redis in production: one command);
`flush_visits` moves the counters into `ShareCount.visits` when the organisers' figures
are read and at the daily `purge`. Counters live KEEP_DAYS in the cache: figures not
flushed within that many days are lost, never doubled (the move subtracts what it read).
Nothing about the visitor is kept, not even in the cache: a count, per channel and day.
"""

from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

from recours.campaigns.models import Campaign
from recours.campaigns.sharing import CHANNELS, add_to_share_count

KEEP_DAYS = 8


def _key(campaign_id: int, day: date, channel: str) -> str:
    return f"visits:{campaign_id}:{day.isoformat()}:{channel}"


def count_visit(campaign_id: int, channel: str) -> None:
    """One more view of the campaign page through a link tagged `channel` (one of ours)."""
    key = _key(campaign_id, timezone.localdate(), channel)
    try:
        cache.incr(key)
    except ValueError:  # the day's first: create it, or add to a concurrent creation
        if not cache.add(key, 1, KEEP_DAYS * 86400):
            cache.incr(key)


def flush_visits(campaign_ids: list[int] | None = None) -> int:
    """Moves the cached counters of the last KEEP_DAYS days into ShareCount. Returns the
    number of visits moved."""
    if campaign_ids is None:
        campaign_ids = list(
            Campaign.objects.exclude(status=Campaign.Status.DRAFT).values_list("pk", flat=True)
        )
    today = timezone.localdate()
    days = [today - timedelta(days=back) for back in range(KEEP_DAYS)]
    wanted = {
        _key(campaign_id, day, channel): (campaign_id, day, channel)
        for campaign_id in campaign_ids
        for day in days
        for channel in CHANNELS
    }
    moved = 0
    for key, count in cache.get_many(list(wanted)).items():
        if not count:
            continue
        campaign_id, day, channel = wanted[key]
        cache.decr(key, count)  # visits counted meanwhile stay for the next move
        add_to_share_count(campaign_id, channel, day, "visits", count)
        moved += count
    return moved
