"""A campaign's figures for its organisers, read from the hourly tallies (campaigns/
tallies.py) and the share counts: a handful of queries whatever the number of mandates.

No figure may single someone out: a count from 1 to 4 is shown as "< 5" (`shown`), in
the page, its tables and its CSV alike. The cumulative count is the public counter's
history, which anyone could follow on the public page, and is shown as it is.
"""

import functools
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from recours.campaigns import share_counters
from recours.campaigns.models import Campaign, ShareCount, Tally
from recours.campaigns.tallies import DELAY_BOUNDS, MAIL_OUTCOMES, Metric, hour_of, start_of

SMALLEST_SHOWN = 5
HOURS_SHOWN = 72
PACE_DAYS = 7


@functools.lru_cache(maxsize=16)
def _separator(language: str) -> str:
    return formats.get_format("THOUSAND_SEPARATOR", language)


def grouped(count: int) -> str:
    """1234 as "1 234" (or "1,234"), without formats.number_format's cost per number: a
    dashboard shows hundreds."""
    return f"{count:,}".replace(",", _separator(get_language()))


def shown(count: int) -> str:
    if 0 < count < SMALLEST_SHOWN:
        return f"< {SMALLEST_SHOWN}"
    return grouped(count)


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    masked: bool = True  # whether small counts are hidden

    @property
    def text(self) -> str:
        return shown(self.value) if self.masked else grouped(self.value)

    @property
    def drawn(self) -> int:
        """The height a chart may draw: a hidden count is drawn as the threshold, so that
        the picture tells no more than the table."""
        if self.masked and 0 < self.value < SMALLEST_SHOWN:
            return SMALLEST_SHOWN
        return self.value


@dataclass
class Series:
    key: str
    title: str
    unit: str
    points: list[Point] = field(default_factory=list)

    @property
    def table_rows(self):
        """The table's rows, built here: a template loop over hundreds of rows cost more
        than the figures themselves."""
        return format_html_join(
            "", '<tr><th scope="row">{}</th><td class="number">{}</td></tr>',
            ((point.label, point.text) for point in self.points),
        )  # fmt: skip

    @property
    def has_hidden(self) -> bool:
        return any(point.drawn != point.value for point in self.points)


MAIL_LABELS = {
    "sent": _("envoyés"),
    "deferred": _("différés (nouvel essai)"),
    "bounced": _("rejetés par le destinataire"),
    "failed": _("échecs"),
    "uncertain": _("incertains"),
}


def delay_label(index: int) -> str:
    def minutes(value):
        if value < 60:
            return _("%(n)d min") % {"n": value}
        if value < 24 * 60:
            return _("%(n)d h") % {"n": value // 60}
        return _("%(n)d j") % {"n": value // (24 * 60)}

    if index == len(DELAY_BOUNDS):
        return _("plus de %(bound)s") % {"bound": minutes(DELAY_BOUNDS[-1])}
    if index == 0:
        return _("moins de %(bound)s") % {"bound": minutes(DELAY_BOUNDS[0])}
    return _("%(low)s à %(high)s") % {
        "low": minutes(DELAY_BOUNDS[index - 1]),
        "high": minutes(DELAY_BOUNDS[index]),
    }


@dataclass
class Forecast:
    pace_per_day: float
    remaining: int
    days: int | None
    on: date | None
    before_close: bool | None


@dataclass
class Figures:
    confirmed: int
    goal: int
    hourly: Series
    daily: Series
    cumulative: Series
    funnel: Series
    delays: Series
    median_delay: str
    mails: Series
    shares: Series
    visits: Series
    forecast: Forecast

    def series(self) -> dict[str, Series]:
        return {
            series.key: series
            for series in (
                self.hourly, self.daily, self.cumulative, self.funnel,
                self.delays, self.mails, self.shares, self.visits,
            )
        }  # fmt: skip


def _day_starts(first: date, last: date) -> list[int]:
    """The hour (since 1970, UTC) in which each local day from `first` to `last` begins."""
    starts, day = [], first
    while day <= last:
        starts.append(hour_of(timezone.make_aware(datetime.combine(day, time()))))
        day += timedelta(days=1)
    return starts


def campaign_figures(campaign: Campaign, now: datetime | None = None) -> Figures:
    now = now or timezone.now()
    share_counters.flush([campaign.pk])  # what is still counted in the cache
    rows = Tally.objects.filter(campaign=campaign)
    # The sums per metric in the database; the hours only of what the series draw: a few
    # thousand small rows at a million mandates.
    totals = dict(rows.values_list("metric").annotate(total=Sum("count")).order_by())
    confirmed: dict[int, int] = {}
    removed: dict[int, int] = {}
    for hour, metric, count in rows.filter(
        metric__in=[Metric.CONFIRMED, Metric.REMOVED]
    ).values_list("hour", "metric", "count"):
        (confirmed if metric == Metric.CONFIRMED else removed)[hour] = count

    current = hour_of(now)
    hourly = Series("hourly", _("Mandats confirmés par heure, 3 derniers jours"), _("heure"))
    day_labels = {}
    for hour in range(current - HOURS_SHOWN + 1, current + 1):
        moment = timezone.localtime(start_of(hour))
        if moment.date() not in day_labels:
            day_labels[moment.date()] = formats.date_format(moment, "D j")
        label = f"{day_labels[moment.date()]}, {moment.hour:02d}h"
        hourly.points.append(Point(label, confirmed.get(hour, 0)))

    today = timezone.localtime(now).date()
    first_day = timezone.localtime(campaign.opens_at).date()
    if confirmed:
        first_day = min(first_day, timezone.localtime(start_of(min(confirmed))).date())
    last_day = max(first_day, min(today, timezone.localtime(campaign.closes_at).date()))
    starts = _day_starts(first_day, last_day)
    per_day = [0] * len(starts)
    net_per_day = [0] * len(starts)
    for hours, sign in ((confirmed, 1), (removed, -1)):
        for hour, count in hours.items():
            index = bisect_right(starts, hour) - 1
            if 0 <= index < len(starts):
                net_per_day[index] += sign * count
                if sign > 0:
                    per_day[index] += count
    daily = Series("daily", _("Mandats confirmés par jour, depuis l'ouverture"), _("jour"))
    cumulative = Series("cumulative", _("Mandats en vigueur, cumulés"), _("jour"))
    running = 0
    for index in range(len(starts)):
        label = (first_day + timedelta(days=index)).isoformat()  # sorts, in any language
        daily.points.append(Point(label, per_day[index]))
        running += net_per_day[index]
        cumulative.points.append(Point(label, running, masked=False))

    funnel = Series("funnel", _("Du formulaire au mandat"), _("étape"))
    for metric, label in (
        (Metric.SIGNUP, _("inscriptions")),
        (Metric.CONFIRMED, _("confirmations")),
        (Metric.PAPER, _("dont mandats papier")),
        (Metric.WITHDRAWN, _("retraits")),
        (Metric.INVALIDATED, _("invalidations")),
    ):
        if metric != Metric.PAPER or totals.get(metric):  # paper: only once there is some
            funnel.points.append(Point(str(label), totals.get(metric, 0)))

    delays = Series("delays", _("Délai entre l'inscription et la confirmation"), _("délai"))
    bucket_names = [f"{Metric.DELAY_PREFIX}{bound}" for bound in DELAY_BOUNDS]
    bucket_names.append(f"{Metric.DELAY_PREFIX}more")
    for index, name in enumerate(bucket_names):
        delays.points.append(Point(str(delay_label(index)), totals.get(name, 0)))

    mails = Series("mails", _("Courriels de confirmation"), _("issue"))
    for outcome in MAIL_OUTCOMES:
        mails.points.append(
            Point(str(MAIL_LABELS[outcome]), totals.get(f"{Metric.MAIL_PREFIX}{outcome}", 0))
        )

    shares = Series("shares", _("Inscriptions venues d'un lien partagé, par canal"), _("canal"))
    visits = Series("visits", _("Visites venues d'un lien partagé, par canal"), _("canal"))
    per_channel = (
        ShareCount.objects.filter(campaign=campaign)
        .values_list("channel")
        .annotate(signed=Sum("signatures"), came=Sum("visits"))
    )
    for channel, signed, _came in sorted(per_channel, key=lambda row: (-row[1], row[0])):
        if signed:
            shares.points.append(Point(channel, signed))
    for channel, _signed, came in sorted(per_channel, key=lambda row: (-row[2], row[0])):
        if came:
            visits.points.append(Point(channel, came))

    recent = net_per_day[-PACE_DAYS:] if last_day == today else []
    days_open = max(1, min(PACE_DAYS, len(starts)))
    return Figures(
        confirmed=campaign.confirmed_count,
        goal=campaign.goal,
        hourly=hourly,
        daily=daily,
        cumulative=cumulative,
        funnel=funnel,
        delays=delays,
        median_delay=_median_label(delays),
        mails=mails,
        shares=shares,
        visits=visits,
        forecast=_forecast(campaign, sum(recent) / days_open, today),
    )


def _median_label(delays: Series) -> str:
    total = sum(point.value for point in delays.points)
    if total < SMALLEST_SHOWN:
        return ""
    running = 0
    for point in delays.points:
        running += point.value
        if running * 2 >= total:
            return point.label
    return ""


def _forecast(campaign: Campaign, pace: float, today: date) -> Forecast:
    remaining = max(0, campaign.goal - campaign.confirmed_count)
    if remaining == 0:
        return Forecast(pace, 0, 0, today, True)
    if pace <= 0:
        return Forecast(pace, remaining, None, None, None)
    days = math.ceil(remaining / pace)
    on = today + timedelta(days=days)
    return Forecast(pace, remaining, days, on, on <= timezone.localtime(campaign.closes_at).date())
