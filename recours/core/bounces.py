"""Bounces: a mail that could not be delivered tells its sender's app, which decides
what it means (a mandate whose confirmation bounced can never be confirmed).

A mail refused at once by the SMTP server (5xx at RCPT) is a bounce. One refused later
comes back as a delivery status notification (RFC 3464) to the envelope sender: with
BOUNCE_ADDRESS set, every mail leaves with its own return path (VERP),
`bounces+<row>-<tag>@domain`, whose tag is an HMAC of the row, so that nobody can forge
a bounce for someone else's mail. `manage.py process_bounces` reads what comes back.
"""

import email
import email.policy
import logging
import re

from django.conf import settings
from django.dispatch import Signal
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from recours.core.models import OutboxEmail

log = logging.getLogger(__name__)

# Sent with `about` (the OutboxEmail's `about`) once per bounced mail.
mail_bounced = Signal()
# Sent with `abouts` (a list) and `outcome` ("sent", "deferred", "failed", "uncertain")
# once the worker has recorded what became of those mails; a bounce is told by
# `mail_bounced` instead.
mail_outcome = Signal()
TAG_LENGTH = 12
REFERENCE = re.compile(r"\+(\d{1,18})-([0-9a-f]{12})@")  # TAG_LENGTH hex digits


def _tag(row_id: int) -> str:
    return salted_hmac("recours.core.bounces", str(row_id)).hexdigest()[:TAG_LENGTH]


def return_path(row_id: int) -> str:
    """The envelope sender of outbox row `row_id`, or "" without BOUNCE_ADDRESS."""
    if not settings.BOUNCE_ADDRESS:
        return ""
    local, _, domain = settings.BOUNCE_ADDRESS.rpartition("@")
    return f"{local}+{row_id}-{_tag(row_id)}@{domain}"


def row_in(address: str) -> int | None:
    """The outbox row a return path names, if its tag is ours."""
    match = REFERENCE.search(address)
    if match and constant_time_compare(match.group(2), _tag(int(match.group(1)))):
        return int(match.group(1))
    return None


def hard_bounces(raw: bytes) -> list[int]:
    """The outbox rows that a returned message reports as permanently undeliverable.
    Only a delivery status notification with Action: failed and a 5.x.x status counts:
    delays (4.x.x), auto-replies and anything unreadable count for nothing."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception:  # noqa: BLE001 - a malformed message is no bounce
        return []
    recipients = message.get_all("X-Original-To", []) + message.get_all("Delivered-To", [])
    recipients += message.get_all("To", []) + message.get_all("Envelope-To", [])
    rows = {row for address in recipients if (row := row_in(str(address))) is not None}
    if not rows or not _reports_permanent_failure(message):
        return []
    return sorted(rows)


def _reports_permanent_failure(message) -> bool:
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # Per-recipient fields follow the per-message block; compat32 gives them as
        # sub-messages of the part's payload.
        blocks = part.get_payload() if part.is_multipart() else [part]
        for block in blocks:
            fields = {key.lower(): str(value).strip().lower() for key, value in block.items()}
            if fields.get("action") == "failed" and fields.get("status", "").startswith("5."):
                return True
    return False


def record_bounce(row_id: int) -> bool:
    """Marks the row bounced and tells its app; a second report of it changes nothing."""
    changed = OutboxEmail.objects.filter(pk=row_id, bounced_at__isnull=True).update(
        bounced_at=timezone.now()
    )
    if changed:
        about = OutboxEmail.objects.values_list("about", flat=True).get(pk=row_id)
        log.info("outbox: mail #%d bounced (%s)", row_id, about or "no subject")
        mail_bounced.send(sender=OutboxEmail, about=about)
    return bool(changed)
