"""The JSON-LD documents other servers read: WebFinger, the actor, its collections, and
the activities it sends. Addresses are built from SITE_URL, never from a request."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from recours.campaigns.presentation import picture_sources
from recours.core.crypto import sha256_hex
from recours.federation.models import Actor

CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTENT_TYPE = "application/activity+json"
# What a client may ask for to get these documents rather than the HTML page.
ACCEPTED = ("application/activity+json", "application/ld+json")

# The fields of an actor that Mastodon reads, in app/services/activitypub/
# process_account_service.rb (set_immediate_attributes!, set_fetchable_attributes!, url,
# public_key, collection_total_items), read at commit 0086549 of mastodon/mastodon; and
# preferredUsername, which its WebFinger resolution compares to the handle
# (app/services/activitypub/fetch_remote_actor_service.rb). The tests hold the actor
# document to this list; `icon` (the avatar) is there when the campaign has an image, and
# `image` (the header, its share card) for a campaign.
MASTODON_ACTOR_FIELDS = (
    "id", "type", "preferredUsername", "inbox", "outbox", "endpoints", "followers",
    "url", "name", "summary", "manuallyApprovesFollowers", "publicKey",
)  # fmt: skip


def host() -> str:
    return settings.SITE_URL.split("://", 1)[1].rstrip("/")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def actor_url(actor: Actor) -> str:
    return absolute(reverse("federation:actor", args=[actor.username]))


def key_id(actor: Actor) -> str:
    return actor_url(actor) + "#main-key"


def handle(username: str) -> str:
    return f"@{username}@{host()}"


def webfinger(actor: Actor) -> dict:
    return {
        "subject": f"acct:{actor.username}@{host()}",
        "aliases": [actor_url(actor)],
        "links": [
            {"rel": "self", "type": CONTENT_TYPE, "href": actor_url(actor)},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": profile_page(actor),
            },
        ],
    }


def profile_page(actor: Actor) -> str:
    if actor.campaign_id:
        return absolute(actor.campaign.get_absolute_url())
    return absolute(reverse("observatory:index"))


def actor_document(
    actor: Actor, *, name: str, summary: str, icon: tuple[str, str] | None, image: str | None
) -> dict:
    url = actor_url(actor)
    document = {
        "@context": CONTEXT,
        "id": url,
        # A Service: an automated account that posts, which Mastodon shows as a bot.
        "type": "Service",
        "preferredUsername": actor.username,
        "name": name,
        "summary": summary,
        "url": profile_page(actor),
        "inbox": url + "/inbox",
        "outbox": url + "/outbox",
        "followers": url + "/followers",
        "endpoints": {"sharedInbox": absolute(reverse("federation:shared_inbox"))},
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "published": actor.created_at.isoformat(),
        "publicKey": {"id": key_id(actor), "owner": url, "publicKeyPem": actor.public_key_pem},
    }
    if image:  # the header: the campaign's share card
        document["image"] = {"type": "Image", "mediaType": "image/png", "url": image}
    if icon:
        document["icon"] = {"type": "Image", "mediaType": icon[1], "url": icon[0]}
    return document


def collection(url: str, total: int, items: list | None = None) -> dict:
    document = {"@context": CONTEXT[0], "id": url, "type": "OrderedCollection", "totalItems": total}
    if items is not None:
        document["orderedItems"] = items
    return document


def note_activity(actor: Actor, event: str, *, content: str, url: str, language: str) -> dict:
    """A public Create of a Note, as Mastodon shows it: addressed to the public
    collection, copied to the followers, with the page's link in the HTML content."""
    actor_id = actor_url(actor)
    note_id = f"{actor_id}/notes/{event.replace(':', '-')}"
    now = timezone.now().isoformat()
    audience = {"to": [PUBLIC], "cc": [actor_id + "/followers"]}
    return {
        "@context": CONTEXT[0],
        "id": note_id + "/activity",
        "type": "Create",
        "actor": actor_id,
        "published": now,
        **audience,
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": actor_id,
            "published": now,
            "url": url,
            "content": content,
            "contentMap": {language: content},
            **audience,
        },
    }


def accept_activity(actor: Actor, follow: dict) -> dict:
    actor_id = actor_url(actor)
    return {
        "@context": CONTEXT[0],
        "id": f"{actor_id}/accepts/{sha256_hex(str(follow.get('id', '')).encode())[:24]}",
        "type": "Accept",
        "actor": actor_id,
        "object": follow,
    }


def delete_activity(actor: Actor) -> dict:
    actor_id = actor_url(actor)
    return {
        "@context": CONTEXT[0],
        "id": actor_id + "#delete",
        "type": "Delete",
        "actor": actor_id,
        "object": actor_id,
        "to": [PUBLIC],
    }


def _profile(actor: Actor) -> dict:
    """The actor's name, summary (HTML), avatar (URL and type) and header image."""
    if actor.campaign_id is None:
        return {
            "name": _("Observatoire de la surveillance (Recours)"),
            "summary": format_html(
                "<p>{}</p>",
                _(
                    "Chaque dispositif de surveillance documenté, commune par commune, avec ses "
                    "sources ; et les réponses aux demandes de documents."
                ),
            ),
            "icon": None,
            "image": None,
        }
    campaign = actor.campaign
    picture = picture_sources(campaign.hero or campaign.organisation.logo, "")
    page = profile_page(actor)
    return {
        "name": campaign.title,
        "summary": f"<p>{escape(campaign.summary)}</p><p>{escape(campaign.organisation.name)}"
        f' · <a href="{escape(page)}">{escape(page)}</a></p>',
        "icon": (absolute(picture["src"]), picture["fallback_type"]) if picture else None,
        "image": absolute(reverse("campaigns:card", args=[campaign.slug])),
    }


def actor_document_of(actor: Actor) -> dict:
    with translation.override(actor.campaign.language if actor.campaign_id else "fr"):
        return actor_document(actor, **_profile(actor))


def update_activity(actor: Actor) -> dict:
    """The actor's document sent again, e.g. with a new key (rotate_actor_key)."""
    document = actor_document_of(actor)
    return {
        "@context": document["@context"],
        "id": f"{document['id']}#update-{sha256_hex(actor.public_key_pem.encode())[:16]}",
        "type": "Update",
        "actor": document["id"],
        "object": document,
        "to": [PUBLIC],
    }
