"""What other servers send: a follow, its undoing, the deletion of an account. Nothing a
remote server sends is ever shown on the site; anything else is acknowledged and dropped.

Every request must be signed by the actor it speaks for (signatures.py), with a key
fetched from its server (never from an internal address, http.py) and kept."""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recours.core.crypto import sha256_hex
from recours.core.ratelimit import Rule, hit
from recours.federation import signatures
from recours.federation.actors import Gone, actor_named
from recours.federation.documents import absolute, accept_activity, actor_url
from recours.federation.http import FetchError
from recours.federation.models import Activity, Actor, Delivery, Follower, RemoteKey
from recours.federation.remote import fetch_key

log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024


class Refused(Exception):
    """A request refused with `status`; the message is the answer's body."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _id_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def read(body: bytes) -> dict:
    if len(body) > MAX_BODY:
        raise Refused(413, "the activity is over 256 KB")
    try:
        activity = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        raise Refused(400, "the body is not an activity")
    if not _id_of(activity.get("actor")):
        raise Refused(400, "the activity names no actor")
    return activity


def authenticate(*, method: str, path: str, headers: dict, body: bytes, activity: dict) -> str:
    """The sender's actor id, once its signature holds; Refused otherwise."""
    try:
        parsed = signatures.check_request(method=method, path=path, headers=headers, body=body)
    except signatures.SignatureError as exc:
        raise Refused(401, str(exc)) from None
    sender = _id_of(activity["actor"])
    if _host(parsed.key_id) != _host(sender):
        raise Refused(401, "the key is not on the actor's server")
    limit, window = settings.FEDERATION_INBOX_RATE
    if hit(Rule("federation-inbox", limit, window), _host(sender)):
        raise Refused(429, "too many requests from this server")
    for refresh in (False, True):  # a key that fails may have been rotated: fetch it again
        try:
            key = fetch_key(parsed.key_id, refresh=refresh)
        except FetchError as exc:
            raise Refused(401, f"the key cannot be fetched: {exc}") from None
        try:
            signatures.verify(
                parsed, method=method, path=path, headers=headers, public_pem=key.public_key_pem
            )
        except signatures.SignatureError as exc:
            if refresh:
                raise Refused(401, str(exc)) from None
            continue
        if key.owner != sender:
            raise Refused(401, "the key belongs to another actor than the activity's")
        return sender
    raise Refused(401, "unverified")  # not reached


def handle(actor: Actor | None, activity: dict, sender: str) -> None:
    """Acts on a verified activity. `actor` is the inbox's owner (None: the shared
    inbox, where a follow names its actor in `object`)."""
    kind = activity["type"]
    if kind == "Follow":
        _follow(actor, activity, sender)
    elif kind == "Undo" and isinstance(activity.get("object"), dict):
        undone = activity["object"]
        if undone.get("type") == "Follow" and _id_of(undone.get("actor")) == sender:
            Follower.objects.filter(remote_id=sender, **_target(actor, undone)).delete()
    elif kind == "Delete" and _id_of(activity.get("object")) == sender:
        Follower.objects.filter(remote_id=sender).delete()
        RemoteKey.objects.filter(owner=sender).delete()


def _target(actor: Actor | None, follow: dict) -> dict:
    """Which of our actors a Follow names: the inbox's, or the one it names."""
    named = _id_of(follow.get("object"))
    if actor is not None:
        if named != actor_url(actor):
            raise Refused(400, "this Follow names another actor than this inbox's")
        return {"actor": actor}
    prefix = absolute(reverse("federation:actor", args=["-"]))[:-1]
    username = named[len(prefix) :] if named.startswith(prefix) else ""
    if not username:
        raise Refused(400, "this Follow names no actor of this server")
    try:
        found = actor_named(username)
    except Gone:
        raise Refused(410, "this actor was deleted") from None
    if found is None or actor_url(found) != named:
        raise Refused(404, "no such actor here")
    return {"actor": found}


def _follow(actor: Actor | None, follow: dict, sender: str) -> None:
    target = _target(actor, follow)["actor"]
    key = RemoteKey.objects.filter(owner=sender).order_by("-fetched_at").first()
    if key is None or not key.inbox:
        raise Refused(400, "the follower's actor has no inbox")
    host = _host(sender)
    # We will write to these addresses: they must be on the follower's own server.
    if _host(key.inbox) != host or (key.shared_inbox and _host(key.shared_inbox) != host):
        raise Refused(400, "the follower's inbox is not on its server")
    with transaction.atomic():
        known = Follower.objects.filter(actor=target, host=host)
        if (
            not known.filter(remote_id=sender).exists()
            and known.count() >= settings.FEDERATION_FOLLOWS_PER_HOST
        ):
            raise Refused(429, "too many follows from this server")
        Follower.objects.update_or_create(
            actor=target,
            remote_id=sender,
            defaults={"host": host, "inbox": key.inbox, "shared_inbox": key.shared_inbox},
        )
        # The Accept goes to the follower's own inbox, once per Follow.
        accept, created = Activity.objects.get_or_create(
            actor=target,
            event=f"accept-{sha256_hex(_id_of(follow).encode() or sender.encode())[:32]}",
            defaults={
                "kind": Activity.Kind.ACCEPT,
                "payload": accept_activity(target, follow),
                "published_at": timezone.now(),
            },
        )
        if created:
            Delivery.objects.create(activity=accept, inbox=key.inbox, host=host)
    log.info("federation: %s followed by an account on %s", target.username, host)
