"""A campaign's fediverse account in the console: the switch, and its deletion."""

import pytest

from recours.console.models import ActivityEntry
from recours.console.tests.conftest import member_client, text
from recours.federation.actors import campaign_actor
from recours.federation.models import Activity, Delivery, Follower

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_switch_turns_the_account_off_and_on(people, campaign, client):
    organiser = member_client(people["organiser"])
    url = f"/console/campagnes/{campaign.slug}/federation/"
    page = organiser.get(url)
    assert f"@{campaign.slug}@127.0.0.1:8000" in text(page)
    assert client.get(f"/ap/{campaign.slug}").status_code == 200

    assert organiser.post(url, {"switch": "1"}).status_code == 302  # unticked: off
    assert client.get(f"/ap/{campaign.slug}").status_code == 404
    finger = {"resource": f"acct:{campaign.slug}@127.0.0.1:8000"}
    assert client.get("/.well-known/webfinger", finger).status_code == 404

    organiser.post(url, {"switch": "1", "federation": "on"})
    assert client.get(f"/ap/{campaign.slug}").status_code == 200
    assert ActivityEntry.objects.filter(action="federation.switched").count() == 2


def test_deleting_the_account_tells_each_server_once_and_answers_410(people, campaign, client):
    actor = campaign_actor(campaign)
    for number, host in enumerate(["a.example", "a.example", "b.example"]):
        Follower.objects.create(
            actor=actor, remote_id=f"https://{host}/users/{number}", host=host,
            inbox=f"https://{host}/users/{number}/inbox", shared_inbox=f"https://{host}/inbox",
        )  # fmt: skip
    organiser = member_client(people["organiser"])
    url = f"/console/campagnes/{campaign.slug}/federation/"

    refused = organiser.post(url, {"delete": "1"})  # not confirmed
    assert refused.status_code == 400 and Follower.objects.count() == 3

    assert organiser.post(url, {"delete": "1", "confirm": "on"}).status_code == 302
    delete = Activity.objects.get(kind="Delete")
    assert delete.payload["object"] == delete.payload["actor"]
    assert sorted(Delivery.objects.filter(activity=delete).values_list("inbox", flat=True)) == [
        "https://a.example/inbox", "https://b.example/inbox",
    ]  # fmt: skip
    assert not Follower.objects.exists()
    assert client.get(f"/ap/{campaign.slug}").status_code == 410
    assert "supprimé" in text(organiser.get(url))
    assert ActivityEntry.objects.get(action="federation.deleted").details == {"servers": 2}
