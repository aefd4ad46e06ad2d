"""Which accounts exist: one per public campaign whose organisers leave federation on,
and the observatory's. Each is created the first time it is needed, with its key."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from recours.campaigns.domain import PUBLIC_STATUSES
from recours.campaigns.models import Campaign
from recours.core.crypto import sha256_hex
from recours.federation.delivery import deliver_to_followers
from recours.federation.documents import delete_activity, update_activity
from recours.federation.keys import new_key_pair
from recours.federation.models import Activity, Actor

OBSERVATORY = "observatoire"  # a reserved address: no campaign can take it


class Gone(Exception):
    """The actor was deleted by its organisers: answer 410, as Mastodon expects."""


def campaign_actor(campaign: Campaign) -> Actor | None:
    """The campaign's actor, created if needed; None when it is not followable (a draft,
    federation off here or for this campaign). Raises Gone once deleted."""
    if not settings.FEDERATION:
        return None
    if not campaign.federation:
        # A deleted account stays gone (410), whatever the switch says since.
        if Actor.objects.filter(campaign=campaign, deleted_at__isnull=False).exists():
            raise Gone
        return None
    if campaign.status not in PUBLIC_STATUSES:
        return None
    return _actor(campaign.slug, campaign)


def observatory_actor() -> Actor | None:
    return _actor(OBSERVATORY, None) if settings.FEDERATION else None


def actor_named(username: str) -> Actor | None:
    if username == OBSERVATORY:
        return observatory_actor()
    campaign = Campaign.objects.select_related("organisation").filter(slug=username).first()
    return campaign_actor(campaign) if campaign else None


def _actor(username: str, campaign: Campaign | None) -> Actor:
    actor = Actor.objects.filter(username=username).first()
    if actor is None:
        public_pem, sealed = new_key_pair()
        try:
            with transaction.atomic():
                actor = Actor.objects.create(
                    username=username,
                    campaign=campaign,
                    public_key_pem=public_pem,
                    private_key_sealed=sealed,
                    baseline=campaign.confirmed_count if campaign else 0,
                )
        except IntegrityError:  # created meanwhile by another request or the worker
            actor = Actor.objects.get(username=username)
    if actor.deleted_at is not None:
        raise Gone
    return actor


def delete_actor(actor: Actor) -> int:
    """Deletes an actor for good: a Delete goes to every server that follows it, its
    followers are forgotten, and it answers 410 from then on. Returns the deliveries."""
    with transaction.atomic():
        activity, created = Activity.objects.get_or_create(
            actor=actor,
            event="delete",
            defaults={"kind": Activity.Kind.DELETE, "payload": delete_activity(actor)},
        )
        sent = deliver_to_followers(activity) if created else 0
        actor.followers.all().delete()
        Actor.objects.filter(pk=actor.pk).update(deleted_at=timezone.now())
    return sent


def rotate_key(actor: Actor) -> int:
    """A new key pair for the actor, announced to its followers' servers with an Update
    of its document; returns the deliveries. A server that missed it fetches the key
    again when a signature fails."""
    public_pem, sealed = new_key_pair()
    with transaction.atomic():
        Actor.objects.filter(pk=actor.pk).update(
            public_key_pem=public_pem, private_key_sealed=sealed
        )
        actor.refresh_from_db()
        update = Activity.objects.create(
            actor=actor,
            event=f"update-key-{sha256_hex(public_pem.encode())[:16]}",
            kind=Activity.Kind.UPDATE,
            payload=update_activity(actor),
        )
        return deliver_to_followers(update)
