"""The organisers' figures, counted as events happen.

Every event that a dashboard shows adds one to the `Tally` row of its campaign, hour and
metric, inside the transaction that makes the event true: the figures can never disagree
with what was committed, and reading them never touches a mandate. A row holds a count,
never who: the dashboard then hides any count below `SMALLEST_SHOWN`.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from recours.campaigns.models import Tally
from recours.core import statements


class Metric:
    SIGNUP = "signup"  # a new pending mandate
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"  # any withdrawal, pending or confirmed
    INVALIDATED = "invalidated"
    # A confirmed mandate leaving the count (withdrawn or invalidated): with CONFIRMED,
    # it gives the counter's history.
    REMOVED = "removed"
    PAPER = "paper"  # a paper mandate entered (also counted as a sign-up and confirmed)
    MAIL_PREFIX = "mail_"
    DELAY_PREFIX = "delay_"


MAIL_OUTCOMES = ["sent", "deferred", "bounced", "failed", "uncertain"]
# Upper bounds, in minutes, of the confirmation-delay buckets; the last is open.
DELAY_BOUNDS = [1, 5, 15, 60, 6 * 60, 24 * 60, 3 * 24 * 60, 7 * 24 * 60]


def hour_of(moment: datetime) -> int:
    """The hour a moment falls in, as hours since 1970-01-01 UTC."""
    return int(moment.timestamp() // 3600)


def start_of(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * 3600, tz=UTC)


def add(campaign_id: int, *metrics: str, amount: int = 1, at: datetime | None = None) -> None:
    """Adds `amount` to each metric's count for the hour of `at` (now by default). Call it
    inside the transaction of the event. One statement for all the metrics: an insert
    that adds to the row when the hour's row exists (ON CONFLICT … DO UPDATE, on both
    databases), which the unique index makes safe between processes: two first events
    of an hour at once make one row that counts both."""
    hour = hour_of(at or timezone.now())
    counts = Counter(metrics)
    if not counts:
        return
    with statements.cursor() as cursor:
        cursor.execute(
            _add_sql(len(counts), connection.vendor),
            [
                value
                for metric, times in counts.items()
                for value in (campaign_id, hour, metric, times * amount)
            ],
        )


@lru_cache  # written once per process (core/statements.py): every confirmation runs it
def _add_sql(rows: int, vendor: str) -> str:
    quote = connection.ops.quote_name
    table, count = quote(Tally._meta.db_table), quote("count")
    return (
        f"INSERT INTO {table} (campaign_id, hour, metric, {count}) "  # noqa: S608 - our own names
        f"VALUES {', '.join(['(%s, %s, %s, %s)'] * rows)} "
        "ON CONFLICT (campaign_id, metric, hour) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def delay_metric(delay: timedelta) -> str:
    minutes = delay.total_seconds() / 60
    bound = next((bound for bound in DELAY_BOUNDS if minutes <= bound), None)
    return f"{Metric.DELAY_PREFIX}{bound if bound is not None else 'more'}"


def growth(campaign_id: int, *, hours: int, now: datetime | None = None) -> int:
    """What the counter gained in the last `hours` hours, to the hour (this one and the
    `hours` - 1 before it): the confirmations (paper mandates included) less the
    confirmed mandates that left it.
    A few rows whatever the campaign's size: counting the mandates themselves read each
    of them (a million confirmed in a day took a second, on every render of the page)."""
    since = hour_of(now or timezone.now()) - hours
    totals = dict(
        Tally.objects.filter(
            campaign_id=campaign_id, metric__in=[Metric.CONFIRMED, Metric.REMOVED], hour__gt=since
        )
        .values_list("metric")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return totals.get(Metric.CONFIRMED, 0) - totals.get(Metric.REMOVED, 0)


def mail_metric(outcome: str) -> str:
    return f"{Metric.MAIL_PREFIX}{outcome}"


def counts_of_stored(rows) -> Counter:
    """The tallies that stored mandates add up to, for mandates counted before tallies
    existed: `rows` are (campaign id, status, signed, confirmed, withdrawn, invalidated)
    times; returns {(campaign id, hour, metric): count}."""
    counts = Counter()
    for campaign, status, signed, confirmed, withdrawn, invalidated in rows:
        counts[campaign, hour_of(signed), Metric.SIGNUP] += 1
        if confirmed:
            counts[campaign, hour_of(confirmed), Metric.CONFIRMED] += 1
            counts[campaign, hour_of(confirmed), delay_metric(confirmed - signed)] += 1
        if withdrawn:
            counts[campaign, hour_of(withdrawn), Metric.WITHDRAWN] += 1
        left = {"withdrawn": withdrawn, "invalidated": invalidated}.get(status)
        if status == "invalidated" and invalidated:
            counts[campaign, hour_of(invalidated), Metric.INVALIDATED] += 1
        if confirmed and left:
            counts[campaign, hour_of(left), Metric.REMOVED] += 1
    return counts
