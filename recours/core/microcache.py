"""A micro-cache of the public reads, in each app process, in front of Django.

A surge is the same few URLs asked thousands of times a second: the campaign page,
count.json, the badge. Their answers are the same for every visitor but for the page's
two slots (see mandates/campaign_page.py). Each process keeps the last answer of each
such URL for MICROCACHE_SECONDS (1 s by default) and replays it without URL resolution,
sessions, locale negotiation, templates or a round trip to the shared cache: what nginx
calls micro-caching, done in the process so that a host without a caching proxy gets it.
The first middleware keeps the answers, with every header the stack set; the WSGI front
(recours/wsgi.py) replays them before Django's handler, and the middleware replays them
where the app is called without the front (the test client, another server's entry).

What is kept:
- a 200 answer to a GET that carries no session, authorisation or other unknown cookie,
  whose Cache-Control says `public` and which sets no cookie, for the shorter of its
  max-age and MICROCACHE_SECONDS;
- an answer whose view called `replay_with`, with the function that fills its per-visitor
  parts (the campaign page: its form clock and channel). It may not need a cookie: none
  is read or set on a replay.
Every header is replayed as the full stack set it (the security headers included), but
Set-Cookie, which is never kept, and Content-Length, counted again.

The key is the scheme, host, path, query string, Accept-Language and language cookie, as
the request sent them: a host Django refused is never stored, so never replayed.

Freshness: this process forgets everything when it saves or deletes a row, drops a
campaign's cached values (`forget`), and once it has answered a write (any method but
GET and HEAD that was not refused, unless its view says no kept answer shows it), which
is after its commit; other processes, and a
thread of this one reading while another commits, lag a change by MICROCACHE_SECONDS at
most. count.json already tells browsers and proxies
they may keep it 10 s.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_max_age

from recours.core import metrics

REPLAY_ATTRIBUTE = "microcache_fill"
UNCHANGED_ATTRIBUTE = "microcache_reads_unchanged"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# A body over this is not kept: a surge's reads are small.
MAX_BODY_BYTES = 512 * 1024
# What a kept answer may vary on: the key covers both.
KNOWN_VARY = frozenset({"accept-language", "cookie"})
# The cookies a kept answer may be replayed to: the key covers the language, and the
# replay reads the CSRF cookie as the full stack would. A session sees the full stack.
REPLAYABLE_COOKIES = frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME})


@dataclass(frozen=True)
class Entry:
    """A kept 200 answer. Its headers are kept as Django's ResponseHeaders holds them
    ({lower name: (name, value)}), checked and encoded once: setting a dozen headers one
    by one on each replay took a third of a replayed count.json."""

    headers: dict[str, tuple[str, str]]
    body: bytes
    fill: Callable[[HttpRequest], bytes | str] | None
    route: str  # the view that made it, for the metrics
    expires: float

    @property
    def size(self) -> int:
        return len(self.body) + 512

    def body_for(self, request: HttpRequest) -> bytes:
        if self.fill is None:
            return self.body
        body = self.fill(request)
        return body.encode() if isinstance(body, str) else body


_entries: dict[tuple, Entry] = {}
_bytes = 0
_lock = threading.Lock()


def replay_with(response: HttpResponse, fill: Callable[[HttpRequest], bytes | str]) -> HttpResponse:
    """Marks `response` as replayable: its headers are kept and each later request's body
    is `fill(request)`. No middleware runs around `fill`: it must not ask for a CSRF token
    (get_token) or anything else a cookie carries."""
    setattr(response, REPLAY_ATTRIBUTE, fill)
    return response


def reads_unchanged(response: HttpResponse) -> HttpResponse:
    """Marks the answer to a write that no kept answer shows (a signature waiting for the
    worker changes no page until it is confirmed): this process keeps its answers."""
    setattr(response, UNCHANGED_ATTRIBUTE, True)
    return response


def forget() -> None:
    """Drops every kept answer of this process."""
    global _bytes
    with _lock:
        _entries.clear()
        _bytes = 0


def forget_on_change(sender, **kwargs) -> None:
    """Receives post_save and post_delete (see CoreConfig.ready)."""
    forget()


def _store(key: tuple, entry: Entry) -> None:
    global _bytes
    with _lock:
        old = _entries.pop(key, None)
        if old is not None:
            _bytes -= old.size
        # Oldest first (a dict keeps insertion order): a flood of distinct query strings
        # pushes out only what it brought, within the budget.
        while _entries and _bytes + entry.size > settings.MICROCACHE_MAX_BYTES:
            _bytes -= _entries.pop(next(iter(_entries))).size
        _entries[key] = entry
        _bytes += entry.size


def _key(request: HttpRequest) -> tuple | None:
    meta = request.META
    if request.method != "GET" or "HTTP_AUTHORIZATION" in meta:
        return None
    cookies = request.COOKIES
    if cookies and not cookies.keys() <= REPLAYABLE_COOKIES:
        return None  # a session or anything else we cannot see through
    return (
        request.scheme,
        meta.get("HTTP_HOST", ""),
        request.path_info,
        meta.get("QUERY_STRING", ""),
        meta.get("HTTP_ACCEPT_LANGUAGE", ""),
        cookies.get(settings.LANGUAGE_COOKIE_NAME, ""),
    )


def _entry(response: HttpResponse, request: HttpRequest, now: float) -> Entry | None:
    """What of `response` can be kept, or None."""
    if response.status_code != 200 or response.streaming:
        return None
    fill = getattr(response, REPLAY_ATTRIBUTE, None)
    if fill is None:
        if response.cookies or "public" not in response.get("Cache-Control", ""):
            return None
        seconds = min(get_max_age(response) or 0, settings.MICROCACHE_SECONDS)
    else:
        if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
            return None
        seconds = settings.MICROCACHE_SECONDS
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if seconds <= 0 or not vary <= KNOWN_VARY or len(response.content) > MAX_BODY_BYTES:
        return None
    headers = {
        lower: item
        for lower, item in response.headers._store.items()
        if lower not in {"content-length", "set-cookie"}
    }
    return Entry(
        headers=headers,
        body=b"" if fill else response.content,
        fill=fill,
        route=match.view_name if (match := getattr(request, "resolver_match", None)) else "",
        expires=now + seconds,
    )


def kept(request: HttpRequest) -> tuple[tuple | None, Entry | None]:
    """The request's key (None: never kept) and its fresh kept answer, if any."""
    if settings.MICROCACHE_SECONDS <= 0:
        return None, None
    key = _key(request)
    if key is None:
        return None, None
    entry = _entries.get(key)
    if entry is not None and entry.expires > time.monotonic():
        return key, entry
    return key, None


def _counted(entry: Entry, request: HttpRequest, started: float) -> None:
    metrics.record(entry.route, request.method, 200, time.perf_counter() - started)


class MicroCacheMiddleware:
    """The first middleware: what it keeps carries every header the stack set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            # A refused write changed nothing, nor one that says no public read shows it.
            if response.status_code < 400 and not getattr(response, UNCHANGED_ATTRIBUTE, False):
                forget()  # after the write: a read racing it may have kept the old answer
            return response
        started = time.perf_counter()
        key, entry = kept(request)
        if entry is not None:
            response = HttpResponse(entry.body_for(request))
            response.headers._store = entry.headers.copy()
            response.headers["Content-Length"] = str(len(response.content))
            _counted(entry, request, started)
            return response
        now = time.monotonic()
        response = self.get_response(request)
        if key is not None and (entry := _entry(response, request, now)) is not None:
            _store(key, entry)
        return response


class MicroCacheFront:
    """The replay in front of Django's handler (recours/wsgi.py): a kept answer goes out
    without the handler's request signals, middleware calls and response conversion,
    which cost a replayed campaign page half its CPU in the app (bench/load.py). It
    replays only what the middleware kept, with the same key and headers; anything else
    goes to the app, whole."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or settings.MICROCACHE_SECONDS <= 0:
            return self.app(environ, start_response)
        started = time.perf_counter()
        request = WSGIRequest(environ.copy())  # it rewrites PATH_INFO, which the app reads
        _key, entry = kept(request)
        if entry is None:
            return self.app(environ, start_response)
        body = entry.body_for(request)
        start_response("200 OK", [*entry.headers.values(), ("Content-Length", str(len(body)))])
        _counted(entry, request, started)
        return [body]
