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
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count

# Upper bounds of the latency histogram, in seconds.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
FLUSH_SECONDS = 5
KEYS = "metrics:keys"

# What each part measures at scrape time: functions returning exposition lines. A part
# registers its own in its AppConfig.ready (core imports no part).
GAUGES: list[Callable[[], list[str]]] = []

_pending: Counter = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def record(route: str, method: str, status: int, seconds: float) -> None:
    labels = f'route="{route}",method="{method}",status="{status // 100}xx"'
    with _lock:
        _pending[f"recours_http_requests_total{{{labels}}}"] += 1
        _pending[f"recours_http_request_seconds_count{{{labels}}}"] += 1
        _pending[f"recours_http_request_seconds_sum{{{labels}}}"] += round(seconds * 1e6)
        _pending[f'recours_http_request_seconds_bucket{{{labels},le="+Inf"}}'] += 1
        for bound in BUCKETS:
            if seconds <= bound:
                bucket = f'recours_http_request_seconds_bucket{{{labels},le="{bound}"}}'
                _pending[bucket] += 1
    if _shared() and time.monotonic() - _last_flush > FLUSH_SECONDS:
        flush()


def _shared() -> bool:
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def flush() -> None:
    """Adds this process's counts to the cache. Best effort: a cache that is down loses
    a few seconds of counts, never a request."""
    global _last_flush
    with _lock:
        counts, _last_flush = dict(_pending), time.monotonic()
        _pending.clear()
    try:
        known = set(cache.get(KEYS) or ())
        for name, value in counts.items():
            key = f"metrics:{name}"
            if not cache.add(key, value, None):
                cache.incr(key, value)
            known.add(name)
        cache.set(KEYS, sorted(known), None)
    except Exception:  # noqa: BLE001, S110 - metrics must never break a request
        pass


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
    if _shared():
        flush()
        names = cache.get(KEYS) or []
        values = cache.get_many([f"metrics:{name}" for name in names])
    else:
        with _lock:
            names = sorted(_pending)
            values = {f"metrics:{name}": _pending[name] for name in names}
    lines = [
        "# TYPE recours_http_requests_total counter",
        "# TYPE recours_http_request_seconds histogram",
    ]
    for name in names:
        value = values.get(f"metrics:{name}", 0)
        if name.startswith("recours_http_request_seconds_sum"):
            lines.append(f"{name} {value / 1e6:.6f}")
        else:
            lines.append(f"{name} {value}")
    for gauges in GAUGES:
        lines += gauges()
    return "\n".join(lines) + "\n"
