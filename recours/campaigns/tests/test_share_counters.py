"""Visits and sign-ups through tagged links: counted in the cache, moved to the figures,
never twice."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recours.campaigns import share_counters
from recours.campaigns.models import ShareCount
from recours.campaigns.share_counters import count_signature, count_visit, flush
from recours.core.caches import cache_is_shared

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def visits(campaign):
    return dict(
        ShareCount.objects.filter(campaign=campaign, visits__gt=0).values_list("channel", "visits")
    )


def test_tagged_views_are_counted_per_channel_and_others_not(client, campaign):
    for via in ["mastodon", "mastodon", "qr", "", "evil<script>", "mastodon"]:
        assert client.get(f"/{campaign.slug}/", {"via": via} if via else {}).status_code == 200
    assert visits(campaign) == {}  # nothing written per view

    assert flush([campaign.pk]) == {"visits": 4, "signatures": 0}
    assert visits(campaign) == {"mastodon": 3, "qr": 1}
    assert flush([campaign.pk]) == {"visits": 0, "signatures": 0}  # moved once, never twice
    assert visits(campaign) == {"mastodon": 3, "qr": 1}


def test_a_page_view_writes_nothing_to_the_database(client, campaign):
    client.get(f"/{campaign.slug}/", {"via": "qr"})  # fills the page cache
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/{campaign.slug}/", {"via": "qr"})
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_concurrent_views_and_moves_lose_nothing_and_count_nothing_twice(campaign):
    """Views keep coming while counts are moved: the total moved equals the views."""
    views, threads = 400, 4

    def view():
        for _ in range(views // threads):
            count_visit(campaign.pk, "link")

    workers = [threading.Thread(target=view) for _ in range(threads)]
    for worker in workers:
        worker.start()
    moved = 0
    while any(worker.is_alive() for worker in workers):
        moved += flush([campaign.pk])["visits"]
    moved += flush([campaign.pk])["visits"]
    assert moved == views
    assert visits(campaign) == {"link": views}


def test_tagged_sign_ups_are_counted_in_the_cache_and_moved_once(campaign):
    for via in ["mastodon", "mastodon", "qr", "", "evil"]:
        count_signature(campaign.pk, via)
    assert ShareCount.objects.filter(signatures__gt=0).count() == 0  # no write per sign-up

    assert flush([campaign.pk]) == {"visits": 0, "signatures": 3}
    rows = ShareCount.objects.filter(campaign=campaign, signatures__gt=0)
    assert dict(rows.values_list("channel", "signatures")) == {"mastodon": 2, "qr": 1}
    assert flush([campaign.pk]) == {"visits": 0, "signatures": 0}


@pytest.mark.skipif(not cache_is_shared(), reason="a process's own cache is counted at once")
def test_a_process_adds_its_views_to_the_shared_counters_once_a_second(campaign, monkeypatch):
    now = share_counters.time.monotonic()
    monkeypatch.setattr(share_counters, "_last_push", now)
    monkeypatch.setattr(share_counters.time, "monotonic", lambda: now)
    key = share_counters._key("visits", campaign.pk, timezone.localdate(), "qr")

    for _ in range(50):
        count_visit(campaign.pk, "qr")
    assert cache.get(key) is None  # counted in the process, nothing sent yet

    monkeypatch.setattr(share_counters.time, "monotonic", lambda: now + 1)
    count_visit(campaign.pk, "qr")  # the second has passed: all go, in one round trip
    assert cache.get(key) == 51
    count_visit(campaign.pk, "qr")
    assert flush([campaign.pk])["visits"] == 52  # the move takes this process's own too


@pytest.mark.skipif(not cache_is_shared(), reason="a process's own cache is counted at once")
def test_views_that_the_cache_refused_wait_for_the_next_push(campaign, monkeypatch):
    def down(counts):
        raise ConnectionError("Redis is down")

    count_visit(campaign.pk, "qr")
    monkeypatch.setattr(share_counters, "_add", down)
    with pytest.raises(ConnectionError):
        share_counters.push()
    monkeypatch.setattr(share_counters, "_last_push", 0)  # the next view pushes
    count_visit(campaign.pk, "qr")  # the view itself does not fail
    monkeypatch.undo()

    assert flush([campaign.pk])["visits"] == 2
