"""News of the complaint for the signers who asked for it at signing.

Only their addresses can be read by the server (sealed to settings.CONTACT_KEY); every
other signer's address stays sealed to the organisers' offline key and gets no mail.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recours.core.crypto import unseal
from recours.core.mail import queue_email
from recours.core.text import render_markdown
from recours.mandates.domain import issue_token
from recours.mandates.models import Mandate, MandateToken, SignerUpdate

BATCH = 500


class UpdateAlreadySent(Exception):
    pass


def send_signer_update(*, update: SignerUpdate) -> int:
    """Queues one mail per confirmed signer who asked for news, each with its own
    unsubscribe link; an update is sent once. Returns the number of mails queued."""
    claimed = SignerUpdate.objects.filter(pk=update.pk, queued_at__isnull=True).update(
        queued_at=timezone.now()
    )
    if not claimed:
        raise UpdateAlreadySent
    campaign = update.campaign
    recipients = Mandate.objects.filter(
        campaign=campaign, status=Mandate.Status.CONFIRMED, contact_sealed__isnull=False
    ).order_by("pk")
    queued = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(recipients.filter(pk__gt=last_pk)[:BATCH])
            if not batch:
                break
            for mandate in batch:
                _queue_update(update, mandate)
            last_pk = batch[-1].pk
            queued += len(batch)
    SignerUpdate.objects.filter(pk=update.pk).update(recipients=queued)
    return queued


def _queue_update(update: SignerUpdate, mandate: Mandate) -> None:
    email = unseal(settings.CONTACT_KEY, bytes(mandate.contact_sealed))["email"]
    token = issue_token(mandate, MandateToken.Purpose.UNSUBSCRIBE)
    queue_email(
        to=email,
        template="update",
        language=mandate.language,
        context={
            "campaign": update.campaign,
            "update": update,
            "body_html": render_markdown(update.body),
            "unsubscribe_url": settings.SITE_URL
            + reverse("mandates:unsubscribe", args=[update.campaign.slug, token]),
        },
    )
