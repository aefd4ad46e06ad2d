"""Sending what the actors post: each delivery signed by its actor, retried with backoff
on a temporary failure, given up on a server that keeps failing, and never sent twice
(a delivery is claimed by a conditional update before it is sent, whatever the number of
workers). Deliveries to one server go a few at a time; different servers in parallel."""

import json
import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from recours.federation import signatures
from recours.federation.documents import CONTENT_TYPE, key_id
from recours.federation.http import FetchError, request
from recours.federation.keys import private_key
from recours.federation.models import Activity, Delivery, Follower

log = logging.getLogger(__name__)
Status = Delivery.Status
PER_HOST = 2  # deliveries to one server at a time
THREADS = 8
BACKOFF = timedelta(minutes=1)
STALE_CLAIM = timedelta(minutes=10)


def deliver_due(*, limit: int = 200) -> dict[str, int]:
    """Sends the due deliveries (at most `limit`, PER_HOST per server); returns counts."""
    now = timezone.now()
    Delivery.objects.filter(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Status.QUEUED
    )
    per_host = defaultdict(list)
    due = Delivery.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    for row in due.order_by("next_attempt_at", "pk").values_list("pk", "host")[: limit * 4]:
        if len(per_host[row[1]]) < PER_HOST:
            per_host[row[1]].append(row[0])
    claimed = []
    for pk in [pk for pks in per_host.values() for pk in pks][:limit]:
        if Delivery.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now
        ):
            claimed.append(pk)
    counts = defaultdict(int)
    if not claimed:
        return counts
    with ThreadPoolExecutor(min(THREADS, len(claimed))) as pool:
        for outcome in pool.map(_deliver_in_thread, claimed):
            counts[outcome] += 1
    return counts


def _deliver_in_thread(pk: int) -> str:
    try:
        return deliver(Delivery.objects.select_related("activity__actor").get(pk=pk))
    finally:
        connection.close()  # this thread's own connection: the pool's threads end with it


def deliver(row: Delivery) -> str:
    actor = row.activity.actor
    body = json.dumps(row.activity.payload).encode()
    headers = signatures.sign(
        "POST", row.inbox, key_id=key_id(actor), private_key=private_key(actor.private_key_sealed),
        body=body,
    )  # fmt: skip
    headers["Content-Type"] = CONTENT_TYPE
    try:
        status, _ = request("POST", row.inbox, headers=headers, body=body)
        error = "" if 200 <= status < 300 else f"answered {status}"
    except FetchError as exc:
        status, error = 0, str(exc)
    if not error:
        Delivery.objects.filter(pk=row.pk).update(status=Status.SENT, attempts=row.attempts + 1)
        return "sent"
    permanent = 400 <= status < 500 and status not in (408, 429)
    given_up = timezone.now() - row.created_at > timedelta(days=settings.FEDERATION_GIVE_UP_DAYS)
    if permanent or given_up:
        Delivery.objects.filter(pk=row.pk).update(
            status=Status.FAILED, attempts=row.attempts + 1, last_error=error[:300]
        )
        if status == 410:  # the account is gone: stop delivering to it
            Follower.objects.filter(inbox=row.inbox).delete()
        log.info("federation: delivery #%d to %s given up: %s", row.pk, row.host, error)
        return "failed"
    Delivery.objects.filter(pk=row.pk).update(
        status=Status.QUEUED,
        attempts=row.attempts + 1,
        next_attempt_at=timezone.now() + BACKOFF * (2 ** min(row.attempts, 10)),
        last_error=error[:300],
    )
    return "deferred"


def deliver_to_followers(activity: Activity) -> int:
    """One delivery per inbox: a server's shared inbox once for all its followers."""
    inboxes = {
        (follower.delivery_inbox, follower.host)
        for follower in Follower.objects.filter(actor=activity.actor).only(
            "inbox", "shared_inbox", "host"
        )
    }
    Delivery.objects.bulk_create(
        [Delivery(activity=activity, inbox=inbox, host=host) for inbox, host in inboxes],
        ignore_conflicts=True,
    )
    return len(inboxes)
