"""A campaign's Atom feed: its public timeline (opened, closed with its count, filed,
case closed) and the news sent to its signers. Two queries, kept in the cache until
either changes."""

from django.db.models import Max
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from recours.campaigns.domain import PUBLIC_STATUSES, confirmed_count
from recours.campaigns.models import Campaign, StatusChange
from recours.core.feeds import Entry, Feed
from recours.core.text import render_markdown
from recours.mandates.models import SignerUpdate


def campaign_feed(campaign: Campaign) -> Feed:
    return Feed(
        title=campaign.title,
        path=campaign.get_absolute_url(),
        feed_path=reverse("mandates:feed", args=[campaign.slug]),
        subtitle=campaign.summary,
        author=campaign.organisation.name,
    )


def _milestone(campaign: Campaign, change: StatusChange) -> tuple[str, str]:
    Status = Campaign.Status
    if change.to_status == Status.OPEN:
        return _("La campagne est ouverte"), _(
            "Chacun peut signer le mandat et partager la plainte."
        )
    if change.to_status == Status.CLOSED:
        count = confirmed_count(campaign)
        return _("La campagne est close"), _("%(count)s mandats confirmés.") % {"count": count}
    if change.to_status == Status.FILED:
        return _("La plainte est déposée"), _("Auprès de %(authority)s.") % {
            "authority": campaign.authority
        }
    return _("L'affaire est close"), ""


def entries(campaign: Campaign) -> list[Entry]:
    found = []
    changes = campaign.status_changes.filter(to_status__in=PUBLIC_STATUSES)
    for change in changes.order_by("-changed_at"):
        title, text = _milestone(campaign, change)
        found.append(
            Entry(
                title=title,
                path=campaign.get_absolute_url(),
                key=f"campaign-{campaign.pk}-{change.to_status}-{change.pk}",
                updated=change.changed_at,
                published=change.changed_at,
                summary_html=f"<p>{escape(text)}</p>" if text else "",
            )
        )
    for update in SignerUpdate.objects.filter(campaign=campaign).exclude(queued_at=None):
        found.append(
            Entry(
                title=update.subject,
                path=campaign.get_absolute_url(),
                key=f"campaign-{campaign.pk}-news-{update.pk}",
                updated=update.queued_at,
                published=update.queued_at,
                summary_html=str(render_markdown(update.body)),
            )
        )
    return sorted(found, key=lambda entry: entry.updated, reverse=True)


def version(campaign: Campaign) -> str:
    changes = campaign.status_changes.aggregate(top=Max("pk"))["top"]
    news = SignerUpdate.objects.filter(campaign=campaign).aggregate(
        top=Max("pk"), sent=Max("queued_at")
    )
    return f"{campaign.pk}:{campaign.status}:{changes}:{news['top']}:{news['sent']}"
