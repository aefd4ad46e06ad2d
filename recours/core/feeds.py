"""Atom feeds (RFC 4287), for following a campaign or a place from any feed reader,
without an account and without anyone knowing who follows.

A feed is built from plain entries that the caller reads in one or two queries (never a
query per entry), kept in the cache under a key that changes when the record does, and
served as application/atom+xml. Django's Atom1Feed writes the XML: it escapes every
text and produces what a strict parser and the RFC's RELAX NG schema accept."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language

CACHE_SECONDS = 300
MAX_ENTRIES = 50


@dataclass(frozen=True)
class Entry:
    title: str
    path: str  # the page the entry is about, with its fragment
    key: str  # stable and unique within the site: "claim-42"
    updated: datetime
    published: datetime | None = None
    summary_html: str = ""
    categories: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Feed:
    title: str
    path: str  # the page the feed follows
    feed_path: str
    subtitle: str
    author: str


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def tag_uri(key: str) -> str:
    """An entry's id (RFC 4151): stays the same when its page's address changes."""
    return f"tag:{urlsplit(settings.SITE_URL).hostname},2026:{key}"


def atom_document(feed: Feed, entries: list[Entry]) -> str:
    document = Atom1Feed(
        title=feed.title,
        link=absolute(feed.path),
        description=feed.subtitle,
        language=get_language(),
        feed_url=absolute(feed.feed_path),
        feed_guid=absolute(feed.feed_path),
        author_name=feed.author,
    )
    for entry in entries[:MAX_ENTRIES]:
        document.add_item(
            title=entry.title,
            link=absolute(entry.path),
            description=entry.summary_html,
            unique_id=tag_uri(entry.key),
            pubdate=entry.published,
            updateddate=entry.updated,
            categories=entry.categories,
        )
    return document.writeString("utf-8")


def atom_response(feed: Feed, entries: Callable[[], list[Entry]], *, version: str) -> HttpResponse:
    """The feed from the cache, or built once: `version` changes when what it lists
    changes, so a new entry shows at once and an unchanged feed costs one cache read."""
    state = f"{feed.feed_path}:{get_language()}:{version}"
    key = "feed:" + hashlib.sha256(state.encode()).hexdigest()[:32]
    body = cache.get(key)
    if body is None:
        body = atom_document(feed, entries())
        cache.set(key, body, CACHE_SECONDS)
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def newest(*moments: datetime | None) -> datetime:
    return max((moment for moment in moments if moment), default=timezone.now())
