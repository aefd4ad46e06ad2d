"""What the inbox refuses: each bad request gets a clear 4xx, nothing is stored, the site
stays up. The requests come from the independent peer (peer.py)."""

import json
import urllib.error
import urllib.request
from email.utils import formatdate
from time import time

import pytest

from recours.federation.models import Activity, Delivery, Follower, RemoteKey
from recours.federation.tests.peer import Peer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def actor_id(site, campaign):
    return f"{site}/ap/{campaign.slug}"


def nothing_stored():
    return not (Follower.objects.exists() or Activity.objects.exists() or Delivery.objects.exists())


def raw_post(url: str, body: bytes, headers=None) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/activity+json", **(headers or {})},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_unsigned_follow_is_401(actor_id):
    with Peer() as peer:
        status, _ = peer.follow(actor_id, sign=False)
    assert status == 401 and nothing_stored()


def test_a_follow_signed_with_another_key_is_401(actor_id):
    with Peer() as peer, Peer("mallory") as other:
        published = peer.actor_document()  # alice's document keeps alice's key...
        peer.actor_document = lambda: published
        peer.key = other.key  # ...while mallory's key signs in her name
        status, _ = peer.follow(actor_id)
    assert status == 401 and nothing_stored()


def test_a_replayed_follow_with_an_old_date_is_401(actor_id):
    with Peer() as peer:
        status, _ = peer.follow(actor_id, date=formatdate(time() - 3600, usegmt=True))
    assert status == 401 and nothing_stored()


def test_an_oversized_body_is_413(actor_id):
    with Peer() as peer:
        status = peer.post(actor_id + "/inbox", {"type": "Note", "actor": peer.actor_id,
                                                 "content": "x" * 300_000})  # fmt: skip
    assert status == 413 and nothing_stored()


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"type": "Follow"}', b"\xff\xfe"])
def test_malformed_bodies_are_400(actor_id, body):
    assert raw_post(actor_id + "/inbox", body) == 400
    assert nothing_stored()


def test_a_follow_naming_another_actor_is_400(actor_id, site):
    with Peer() as peer:
        status, _ = peer.follow(site + "/ap/observatoire", inbox=actor_id + "/inbox")
    assert status == 400 and nothing_stored()


def test_a_key_on_a_private_address_is_never_fetched_outside_demo(actor_id, settings):
    settings.FEDERATION_ALLOW_PRIVATE = False
    with Peer() as peer:
        status, _ = peer.follow(actor_id)
        assert peer.keys_fetched == []
    assert status == 401 and nothing_stored() and not RemoteKey.objects.exists()


def test_thousands_of_follows_from_one_server_are_capped(actor_id, settings):
    settings.FEDERATION_FOLLOWS_PER_HOST = 3
    with Peer() as peer:
        statuses = []
        for number in range(5):
            peer.username = f"bot{number}"
            statuses.append(peer.follow(actor_id)[0])
    assert statuses == [202, 202, 202, 429, 429]
    assert Follower.objects.count() == 3


def test_a_flood_of_requests_from_one_server_is_429(actor_id, settings):
    settings.FEDERATION_INBOX_RATE = (4, 60)
    with Peer() as peer:
        statuses = [peer.follow(actor_id)[0] for _ in range(6)]
    assert statuses[:4] == [202] * 4 and statuses[4:] == [429, 429]
    assert Follower.objects.count() == 1  # the same account, followed once


def test_anything_else_is_acknowledged_and_ignored(actor_id):
    with Peer() as peer:
        status = peer.post(actor_id + "/inbox", {
            "id": peer.actor_id + "/notes/1", "type": "Create", "actor": peer.actor_id,
            "object": {"type": "Note", "content": "<script>alert(1)</script>"},
        })  # fmt: skip
    assert status == 202 and nothing_stored()


def test_the_inbox_of_an_unknown_or_draft_actor_is_404(site):
    with Peer() as peer:
        status, _ = peer.follow(site + "/ap/nobody")
    assert status == 404


def test_webfinger_answers_only_for_its_own_host(site, campaign, client):
    assert client.get("/.well-known/webfinger", {"resource": "nope"}).status_code == 400
    other = client.get("/.well-known/webfinger", {"resource": f"acct:{campaign.slug}@evil.example"})
    assert other.status_code == 404
    json.loads(
        client.get("/.well-known/webfinger", {"resource": f"acct:observatoire@{site[7:]}"}).content
    )
