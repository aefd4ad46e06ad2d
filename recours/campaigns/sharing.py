"""Sharing a campaign at the moment people are most willing: plain links to each service
(nothing is loaded from them), each carrying a `?via=` tag so that organisers see, as
counts per channel and day, which channels bring signers; never who came through which.

The message is the organisers' own for the campaign and language (Campaign.share_messages)
or a sober default."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from recours.campaigns.models import Campaign, ShareCount

# The channels a `via` tag may name: a link shared from one of them carries its tag.
CHANNELS = (
    "mastodon", "bluesky", "whatsapp", "telegram", "signal", "facebook", "linkedin", "x",
    "email", "sms", "link", "qr", "widget", "fediverse", "paper",
)  # fmt: skip


def channel_of(value: str | None) -> str:
    """The `via` tag, if it is one of ours; anything else counts as nothing."""
    return value if value in CHANNELS else ""


def campaign_url(campaign: Campaign, via: str) -> str:
    return f"{settings.SITE_URL}{campaign.get_absolute_url()}?{urlencode({'via': via})}"


def share_message(campaign: Campaign, language: str | None = None) -> str:
    language = language or get_language()
    custom = (campaign.share_messages or {}).get(language, "").strip()
    if custom:
        return custom
    # Said by whoever shares, signer or not yet.
    return _(
        "Plainte collective « %(title)s », portée par %(organisation)s : "
        "donnez-lui mandat et partagez-la :"
    ) % {"organisation": campaign.organisation.name, "title": campaign.title}


@dataclass(frozen=True)
class ShareLink:
    channel: str
    label: str
    href: str


def share_links(campaign: Campaign, message: str) -> list[ShareLink]:
    """One link per service, each with its own `via` tag in the campaign's address."""

    def text(via):
        return f"{message} {campaign_url(campaign, via)}"

    def url(via):
        return quote(campaign_url(campaign, via), safe="")

    return [
        ShareLink("bluesky", "Bluesky", f"https://bsky.app/intent/compose?text={quote(text('bluesky'))}"),
        ShareLink("whatsapp", "WhatsApp", f"https://wa.me/?text={quote(text('whatsapp'))}"),
        ShareLink("telegram", "Telegram", f"https://t.me/share/url?url={url('telegram')}&text={quote(message)}"),
        ShareLink("facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url('facebook')}"),
        ShareLink("linkedin", "LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url('linkedin')}"),
        ShareLink("x", "X", f"https://x.com/intent/post?text={quote(message)}&url={url('x')}"),
        ShareLink("email", _("E-mail"), f"mailto:?subject={quote(campaign.title)}&body={quote(text('email'))}"),
        ShareLink("sms", _("SMS"), f"sms:?&body={quote(text('sms'))}"),
    ]  # fmt: skip


def share_context(campaign: Campaign) -> dict:
    """What the share panel (mandates/share_panel.html) shows."""
    message = share_message(campaign)
    return {
        "share_links": share_links(campaign, message),
        "share_message": message,
        "tagged_url": campaign_url(campaign, "link"),
        "signal_text": f"{message} {campaign_url(campaign, 'signal')}",
    }


def add_to_share_count(campaign_id: int, channel: str, day, field: str, amount: int) -> None:
    """Adds `amount` to a ShareCount figure (signatures or visits) of one channel and day,
    creating its row the first time; a concurrent creation becomes an update."""
    rows = ShareCount.objects.filter(campaign_id=campaign_id, channel=channel, day=day)
    if rows.update(**{field: F(field) + amount}):
        return
    try:
        with transaction.atomic():
            ShareCount.objects.create(
                campaign_id=campaign_id, channel=channel, day=day, **{field: amount}
            )
    except IntegrityError:  # created meanwhile by a concurrent sign-up or move
        rows.update(**{field: F(field) + amount})
