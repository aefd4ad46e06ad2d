"""Visits and sign-ups that came through a tagged link (`?via=`), per campaign, channel
and day.

A campaign page is served from the cache at thousands of requests a second in a surge,
most of them through shared links, and most sign-ups of a surge come through one of them:
a database write per view would cap the page, and a write per sign-up to one channel's
row of the day would make every signature wait on that row. They are atomic counters in
the shared cache instead (Redis in production); `flush` moves the counters into
`ShareCount` when the organisers' figures are read and at the daily `purge`. A process
counts its views in memory and adds them to the shared counters at most PUSH_SECONDS
later, all in one round trip: two round trips to Redis per view took 45 % of a view's
CPU (bench/load.py, "page GET ?via="). A process killed outright loses its last second
of views; one that stops normally adds them as it exits.
Counters live KEEP_DAYS in the cache: figures not flushed within that many days are lost,
never doubled (the move subtracts what it read). Nothing about the visitor or the signer
is kept, not even in the cache: a count, per channel and day.
"""

import atexit
import logging
import threading
import time
from collections import Counter
from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

from recours.campaigns.models import Campaign
from recours.campaigns.sharing import CHANNELS, add_to_share_count
from recours.core.caches import cache_is_shared

KEEP_DAYS = 8
FIELDS = ("visits", "signatures")  # ShareCount's figures
PUSH_SECONDS = 1
log = logging.getLogger(__name__)

# Adds each amount to its counter, giving a new counter its lifetime; one round trip.
# KEYS: the counters; ARGV: the amounts, then the lifetime in seconds.
ADD_SCRIPT = """
local lifetime = ARGV[#KEYS + 1]
for i, key in ipairs(KEYS) do
  if redis.call('INCRBY', key, ARGV[i]) == tonumber(ARGV[i]) then
    redis.call('EXPIRE', key, lifetime)
  end
end
"""

_pending: Counter = Counter()  # this process's views not yet added: key → views
_lock = threading.Lock()
_last_push = time.monotonic()


def _key(field: str, campaign_id: int, day: date, channel: str) -> str:
    return f"{field}:{campaign_id}:{day.isoformat()}:{channel}"


def count_visit(campaign_id: int, channel: str) -> None:
    """One more view of the campaign page through a link tagged `channel` (one of ours),
    added to the shared counters within PUSH_SECONDS."""
    key = _key("visits", campaign_id, timezone.localdate(), channel)
    with _lock:
        _pending[key] += 1
    # A cache of this process's own memory gains nothing from waiting.
    if not cache_is_shared() or time.monotonic() - _last_push >= PUSH_SECONDS:
        try:
            push()
        except Exception:  # noqa: BLE001 - a count never costs the visitor the page
            log.warning("share counters: cache unavailable, views kept for the next push")


def count_signature(campaign_id: int, channel: str, amount: int = 1) -> None:
    """`amount` more sign-ups through a link tagged `channel`, or nothing if it is not
    one of ours: an aggregate, never a person. The worker counts a batch at once."""
    if channel in CHANNELS:
        _add({_key("signatures", campaign_id, timezone.localdate(), channel): amount})


def push() -> None:
    """Adds the views this process counted to the shared counters. If the cache fails,
    they wait for the next push."""
    global _last_push
    with _lock:
        counts, _last_push = dict(_pending), time.monotonic()
        _pending.clear()
    try:
        _add(counts)
    except Exception:
        with _lock:
            _pending.update(counts)
        raise


def _push_at_exit() -> None:
    try:
        push()
    except Exception:  # noqa: BLE001 - the process is going: say what is lost
        log.warning("share counters: %d view(s) not added at exit", sum(_pending.values()))


atexit.register(_push_at_exit)


def forget_unpushed() -> None:
    """Drops the views this process has not added yet (a test never sees another's)."""
    with _lock:
        _pending.clear()


def _add(counts: dict[str, int]) -> None:
    if not counts:
        return
    lifetime = KEEP_DAYS * 86400
    if hasattr(cache, "script"):  # Redis: one round trip for them all
        make = cache.make_and_validate_key
        cache.script(ADD_SCRIPT)(
            keys=[make(key) for key in counts], args=[*counts.values(), lifetime]
        )
        return
    for key, amount in counts.items():
        try:
            cache.incr(key, amount)
        except ValueError:  # the day's first: create it, or add to a concurrent creation
            if not cache.add(key, amount, lifetime):
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
    push()  # this process's own views; the others' are at most PUSH_SECONDS late
    moved = dict.fromkeys(FIELDS, 0)
    for key, count in cache.get_many(list(wanted)).items():
        if not count:
            continue
        field, campaign_id, day, channel = wanted[key]
        cache.decr(key, count)  # what is counted meanwhile stays for the next move
        add_to_share_count(campaign_id, channel, day, field, count)
        moved[field] += count
    return moved
