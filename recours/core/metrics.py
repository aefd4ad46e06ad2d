"""Metrics in Prometheus's text format, behind a token (METRICS_TOKEN): requests and their
time per route, the outbox, signatures and confirmations. Labels name routes (the URL
pattern's name, never a path, which may hold a token), methods and status classes:
nothing that could single out a person.

Each process counts its requests in memory. With Redis, it adds them to the shared cache
every few seconds (a request costs no round trip) and the figures cover every app server;
with the local-memory cache, which no other process sees, they stay in the process and
take no room from the rate limits' counters."""

import threading
import time
from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate

from django.core.cache import cache
from django.db.models import Count

from recours.core.caches import cache_is_shared

# Upper bounds of the latency histogram, in seconds.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
FLUSH_SECONDS = 5
KEYS = "metrics:labels"

# What each part measures at scrape time: functions returning exposition lines. A part
# registers its own in its AppConfig.ready (core imports no part).
GAUGES: list[Callable[[], list[str]]] = []

# Per label set: [requests, microseconds, then one count per bucket (the last: over
# every bound)]. The totals, the +Inf bucket and the cumulative buckets are derived when
# the page is written, not counted on each request.
_pending: dict[str, list[int]] = {}
_lock = threading.Lock()
_last_flush = time.monotonic()


def record(route: str, method: str, status: int, seconds: float) -> None:
    labels = f'route="{route}",method="{method}",status="{status // 100}xx"'
    with _lock:
        row = _pending.setdefault(labels, [0] * (len(BUCKETS) + 3))
        row[0] += 1
        row[1] += round(seconds * 1e6)
        row[2 + bisect_left(BUCKETS, seconds)] += 1
    if cache_is_shared() and time.monotonic() - _last_flush > FLUSH_SECONDS:
        flush()


def flush() -> None:
    """Adds this process's counts to the cache. Best effort: a cache that is down loses
    a few seconds of counts, never a request."""
    global _last_flush
    with _lock:
        rows, _last_flush = dict(_pending), time.monotonic()
        _pending.clear()
    try:
        known = set(cache.get(KEYS) or ())
        for labels, row in rows.items():
            for field, value in enumerate(row):
                if value and not cache.add(f"metrics:{labels}:{field}", value, None):
                    cache.incr(f"metrics:{labels}:{field}", value)
            known.add(labels)
        cache.set(KEYS, sorted(known), None)
    except Exception:  # noqa: BLE001, S110 - metrics must never break a request
        pass


def _rows() -> dict[str, list[int]]:
    """Every label set's counts: from the shared cache, or this process's own."""
    if not cache_is_shared():
        with _lock:
            return {labels: list(row) for labels, row in _pending.items()}
    flush()
    labels = cache.get(KEYS) or []
    width = len(BUCKETS) + 3
    keys = [f"metrics:{name}:{field}" for name in labels for field in range(width)]
    values = cache.get_many(keys)
    return {
        name: [values.get(f"metrics:{name}:{field}", 0) for field in range(width)]
        for name in labels
    }


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match else "unmatched"
        record(route, request.method, response.status_code, time.perf_counter() - started)
        return response


def outbox_gauges() -> list[str]:
    from recours.core.health import oldest_waiting_mail_seconds
    from recours.core.models import OutboxEmail

    by_status = dict(OutboxEmail.objects.order_by().values_list("status").annotate(n=Count("pk")))
    lines = ["# TYPE recours_outbox_mails gauge"]
    for status in OutboxEmail.Status.values:
        lines.append(f'recours_outbox_mails{{status="{status}"}} {by_status.get(status, 0)}')
    age = oldest_waiting_mail_seconds() or 0
    return [*lines, "# TYPE recours_outbox_oldest_due_seconds gauge",
            f"recours_outbox_oldest_due_seconds {age:.0f}"]  # fmt: skip


GAUGES.append(outbox_gauges)


def exposition() -> str:
    """The metrics page: the request counters (shared, or this process's), then the
    gauges read now."""
    lines = [
        "# TYPE recours_http_requests_total counter",
        "# TYPE recours_http_request_seconds histogram",
    ]
    for labels, (count, micros, *buckets) in sorted(_rows().items()):
        lines.append(f"recours_http_requests_total{{{labels}}} {count}")
        for bound, below in zip(BUCKETS, accumulate(buckets), strict=False):
            lines.append(f'recours_http_request_seconds_bucket{{{labels},le="{bound}"}} {below}')
        lines += [
            f'recours_http_request_seconds_bucket{{{labels},le="+Inf"}} {count}',
            f"recours_http_request_seconds_count{{{labels}}} {count}",
            f"recours_http_request_seconds_sum{{{labels}}} {micros / 1e6:.6f}",
        ]
    for gauges in GAUGES:
        lines += gauges()
    return "\n".join(lines) + "\n"
