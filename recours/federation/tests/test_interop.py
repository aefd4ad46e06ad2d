"""Following a campaign from another server: tested against an independent peer
(peer.py: its own HTTP stack, pycryptodome keys and httpsig signatures), as Mastodon
would follow it, receive the Accept and the notes, and check every signature."""

import json
import urllib.request

import pytest
from django.utils import timezone

from recours.federation.delivery import deliver_due
from recours.federation.documents import MASTODON_ACTOR_FIELDS, PUBLIC
from recours.federation.models import Activity, Follower
from recours.federation.publish import publish_all
from recours.federation.tests.peer import Peer
from recours.mandates.models import SignerUpdate
from recours.testing import confirm_a_signer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def get_json(url: str, accept="application/activity+json") -> dict:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Type"].startswith(("application/activity+json",
                                                             "application/jrd+json"))  # fmt: skip
        return json.load(response)


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


def test_a_peer_follows_a_campaign_gets_the_accept_and_the_notes(site, campaign):
    host = site.split("://")[1]
    finger = get_json(f"{site}/.well-known/webfinger?resource=acct:{campaign.slug}@{host}")
    actor_id = next(link["href"] for link in finger["links"] if link["rel"] == "self")
    actor = get_json(actor_id)

    # The fields Mastodon's own code reads (documents.MASTODON_ACTOR_FIELDS names them).
    assert set(MASTODON_ACTOR_FIELDS) <= set(actor)
    assert actor["id"] == actor_id and actor["preferredUsername"] == campaign.slug
    assert actor["@context"][0] == "https://www.w3.org/ns/activitystreams"
    assert actor["publicKey"]["owner"] == actor_id
    assert actor["publicKey"]["id"] == actor_id + "#main-key"
    assert actor["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert actor["url"] == f"{site}/{campaign.slug}/"
    assert actor["image"]["url"] == f"{site}/{campaign.slug}/carte.png"
    assert get_json(actor["followers"]) == {
        "@context": "https://www.w3.org/ns/activitystreams", "id": actor["followers"],
        "type": "OrderedCollection", "totalItems": 0,
    }  # fmt: skip

    with Peer() as peer:
        status, follow = peer.follow(actor_id)
        assert status == 202
        assert deliver_due()["sent"] == 1
        (accept,) = peer.received
        assert accept["verified"], accept["error"]
        assert accept["path"] == "/users/alice/inbox"
        assert accept["content_type"] == "application/activity+json"
        assert accept["activity"]["type"] == "Accept"
        assert accept["activity"]["actor"] == actor_id
        assert accept["activity"]["object"]["id"] == follow["id"]
        assert get_json(actor["followers"])["totalItems"] == 1
        assert "orderedItems" not in get_json(actor["followers"])  # who follows: never

        # A step toward the goal and news to the signers: one note each.
        campaign.milestones = [1]
        campaign.save()
        confirm_a_signer(campaign, 1)
        SignerUpdate.objects.create(
            campaign=campaign, subject="Plainte déposée", body="Le **dossier** est <b>parti</b>.",
            queued_at=timezone.now(),
        )  # fmt: skip
        assert publish_all() == 2
        assert deliver_due()["sent"] == 2
        notes = [r for r in peer.received if r["activity"].get("type") == "Create"]
        assert len(notes) == 2
        for received in notes:
            assert received["verified"], received["error"]
            assert received["path"] == "/inbox"  # the shared inbox, once for the server
            activity = received["activity"]
            note = activity["object"]
            assert activity["@context"] == "https://www.w3.org/ns/activitystreams"
            assert activity["actor"] == note["attributedTo"] == actor_id
            assert PUBLIC in activity["to"] and PUBLIC in note["to"]
            assert actor["followers"] in activity["cc"] and actor["followers"] in note["cc"]
            assert note["type"] == "Note" and note["id"].startswith(actor_id + "/notes/")
            assert note["url"] == f"{site}/{campaign.slug}/?via=fediverse"
            assert note["published"] and note["contentMap"]["fr"] == note["content"]
            assert f'href="{site}/{campaign.slug}/?via=fediverse"' in note["content"]
            assert "<script" not in note["content"]
            assert get_json(note["id"])["id"] == note["id"]  # each note can be fetched
        contents = " ".join(r["activity"]["object"]["content"] for r in notes)
        assert "Le <strong>dossier</strong> est parti." in contents
        assert "1 mandats : une étape de plus" in contents
        outbox = get_json(actor["outbox"])
        assert outbox["totalItems"] == 2 and len(outbox["orderedItems"]) == 2

        # Nothing is posted or sent twice.
        assert publish_all() == 0
        assert deliver_due() == {}
        assert len(peer.received) == 3

        undo = {"type": "Undo", "actor": peer.actor_id, "object": follow,
                "id": peer.actor_id + "/undo/1"}  # fmt: skip
        assert peer.post(actor_id + "/inbox", undo) == 202
        assert not Follower.objects.exists()
        assert Activity.objects.filter(kind="Accept").count() == 1


def test_the_peer_follows_the_demo_campaign_and_the_observatory(site, settings):
    from django.core.management import call_command

    from recours.observatory.models import Claim, Place

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    host = site.split("://")[1]
    with Peer() as peer:
        for name in ("technopolice", "observatoire"):
            finger = get_json(f"{site}/.well-known/webfinger?resource=acct:{name}@{host}")
            actor_id = next(link["href"] for link in finger["links"] if link["rel"] == "self")
            # Mastodon delivers a Follow to the shared inbox when the actor offers one.
            status, _ = peer.follow(actor_id, inbox=get_json(actor_id)["endpoints"]["sharedInbox"])
            assert status == 202
        assert deliver_due()["sent"] == 2
        assert [r["activity"]["type"] for r in peer.received] == ["Accept", "Accept"]
        assert all(r["verified"] for r in peer.received)

        place = Place.objects.create(kind="commune", code="13055", name="Marseille")
        Claim.objects.create(
            place=place, technology="vsa", status="in_service", confidence="official"
        )
        publish_all()
        deliver_due()
        (note,) = [r for r in peer.received if r["activity"]["type"] == "Create"]
        assert note["verified"], note["error"]
        assert note["activity"]["actor"] == f"{site}/ap/observatoire"
        assert "Marseille" in note["activity"]["object"]["content"]
