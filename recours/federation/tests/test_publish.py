"""What the actors post, and that each event is posted once."""

import threading

import pytest
from django.db import connection

from recours.campaigns.domain import published_texts
from recours.federation import publish
from recours.federation.actors import campaign_actor, observatory_actor
from recours.federation.models import Activity, Delivery, Follower
from recours.mandates import domain
from recours.mandates.identity import SignerIdentity
from recours.observatory.models import Claim, Place
from recours.testing import confirm_a_signer, link_from, queued_mails

pytestmark = pytest.mark.integration


def follow(actor, number: int, host="peer.example"):
    return Follower.objects.create(
        actor=actor, remote_id=f"https://{host}/users/{number}", host=host,
        inbox=f"https://{host}/users/{number}/inbox", shared_inbox=f"https://{host}/inbox",
    )  # fmt: skip


def milestone_notes(actor) -> list[str]:
    rows = Activity.objects.filter(actor=actor, event__startswith="milestone-")
    return sorted(rows.values_list("event", flat=True))


@pytest.mark.django_db
def test_steps_passed_before_the_actor_existed_are_not_posted(campaign):
    campaign.milestones = [1, 2]
    campaign.save()
    confirm_a_signer(campaign, 1)
    campaign.refresh_from_db()
    actor = campaign_actor(campaign)  # made now, with one mandate already
    confirm_a_signer(campaign, 2)
    publish.publish_all()
    assert milestone_notes(actor) == ["milestone-2"]


@pytest.mark.django_db
def test_a_server_with_many_followers_gets_one_delivery_per_note(campaign):
    actor = campaign_actor(campaign)
    for number in range(5):
        follow(actor, number)
    follow(actor, 9, host="other.example")
    campaign.milestones = [1]
    campaign.save()
    confirm_a_signer(campaign, 1)
    assert publish.publish_all() == 1
    assert sorted(Delivery.objects.values_list("inbox", flat=True)) == [
        "https://other.example/inbox", "https://peer.example/inbox",
    ]  # fmt: skip


@pytest.mark.django_db
def test_two_workers_racing_on_one_event_post_it_once(campaign, monkeypatch):
    """The second worker saw no note when it looked (the first had not committed yet):
    the unique index stops it."""
    actor = campaign_actor(campaign)
    follow(actor, 1)
    campaign.milestones = [1]
    campaign.save()
    confirm_a_signer(campaign, 1)
    events = publish.campaign_events(actor, campaign)
    assert publish.post(actor, events) == 1
    monkeypatch.setattr(publish.Activity.objects, "filter", lambda **kw: Activity.objects.none())
    assert publish.post(actor, events) == 0
    monkeypatch.undo()
    assert milestone_notes(actor) == ["milestone-1"]
    assert Delivery.objects.count() == 1


@pytest.mark.django_db
def test_the_observatory_posts_each_new_claim_with_its_link(campaign):
    actor = observatory_actor()
    place = Place.objects.create(kind="commune", code="69123", name="Lyon")
    claim = Claim.objects.create(
        place=place, technology="vsa", status="trial", confidence="press", summary="Briefcam."
    )
    assert publish.publish_all() == 1
    note = Activity.objects.get(actor=actor).payload["object"]
    assert "Lyon" in note["content"] and "Briefcam." in note["content"]
    assert note["url"].endswith(f"?via=fediverse#claim-{claim.pk}")
    assert publish.publish_all() == 0


@pytest.mark.django_db(transaction=True)
def test_a_step_passed_under_a_surge_of_confirmations_is_posted_once(campaign):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (DATABASE_URL)")
    actor = campaign_actor(campaign)
    follow(actor, 1)
    campaign.milestones = [10, 20]
    campaign.goal = 30
    campaign.save()
    stop = threading.Event()

    def confirm(start):
        try:
            for number in range(start, start + 10):
                email = f"surge{number}@example.org"
                domain.sign_mandate(
                    campaign=campaign, identity=SignerIdentity("Ana", "Surge", email, ""),
                    texts=published_texts(campaign), language="fr",
                )  # fmt: skip
                mail = next(m for m in queued_mails("confirm") if m.to == email)
                token = link_from(mail.body_text, "/confirmer/").split("/")[-2]
                domain.confirm_mandate(token=token)
        finally:
            connection.close()

    def worker():
        try:
            while not stop.is_set():
                publish.publish_all()
        finally:
            connection.close()

    confirming = [threading.Thread(target=confirm, args=(n * 100,)) for n in range(3)]
    workers = [threading.Thread(target=worker) for _ in range(3)]
    for thread in confirming + workers:
        thread.start()
    for thread in confirming:
        thread.join(timeout=120)
    stop.set()
    for thread in workers:
        thread.join(timeout=60)
    publish.publish_all()

    campaign.refresh_from_db()
    assert campaign.confirmed_count == 30
    assert milestone_notes(actor) == ["milestone-10", "milestone-20", "milestone-30"]
    assert Delivery.objects.count() == 3


@pytest.mark.django_db
def test_a_new_key_is_sent_to_the_followers_servers(campaign):
    from django.core.management import call_command

    from recours.federation.models import Actor

    actor = campaign_actor(campaign)
    follow(actor, 1)
    old = actor.public_key_pem
    call_command("rotate_actor_key", campaign.slug, stdout=open("/dev/null", "w"))  # noqa: SIM115
    actor.refresh_from_db()
    update = Activity.objects.get(kind="Update")
    assert actor.public_key_pem != old
    assert update.payload["object"]["publicKey"]["publicKeyPem"] == actor.public_key_pem
    assert Delivery.objects.get(activity=update).inbox == "https://peer.example/inbox"
    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_the_observatory_posts_a_document_requests_outcome_once(campaign):
    from datetime import date, timedelta

    from recours.observatory.models import DocumentRequest

    actor = observatory_actor()
    place = Place.objects.create(kind="commune", code="06088", name="Nice")
    request = DocumentRequest.objects.create(
        place=place, documents=["contract"], sent_on=date.today() - timedelta(days=40)
    )
    assert publish.publish_all() == 0  # sent, no outcome yet
    request.status = DocumentRequest.Status.REFUSED
    request.refused_on = date.today()
    request.save()
    assert publish.publish_all() == 1
    note = Activity.objects.get(actor=actor).payload["object"]
    assert "Nice" in note["content"] and "refus" in note["content"]
    assert publish.publish_all() == 0
