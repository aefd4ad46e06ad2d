"""What the actors post. The worker looks, on each turn, at what happened lately (a
campaign opened, closed or was filed; news sent to its signers; a step of the timeline;
a step toward the goal passed; a claim published in the observatory; a document
request's outcome) and posts what it has not posted yet. Looking rather than being told
keeps the sign path free of any federation work, and the unique (actor, event) index
makes each post happen once however many workers look and however fast the count moves.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override

from recours.campaigns.domain import PUBLIC_STATUSES
from recours.campaigns.models import Campaign
from recours.campaigns.sharing import campaign_url
from recours.core.text import render_markdown
from recours.federation.actors import Gone, campaign_actor, observatory_actor
from recours.federation.delivery import deliver_to_followers
from recours.federation.documents import absolute, note_activity
from recours.federation.models import Activity, Actor
from recours.mandates import feeds as campaign_feeds
from recours.observatory import feeds as observatory_feeds
from recours.observatory.models import Claim, DocumentRequest

# How far back a turn looks: events older than this, or older than the actor, are not
# posted (a campaign that joins the fediverse does not flood its new followers).
WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Event:
    key: str
    title: str
    html: str
    url: str
    language: str


def publish_all() -> int:
    """Posts what is new for every actor; returns the number of activities created."""
    created = 0
    campaigns = Campaign.objects.filter(status__in=PUBLIC_STATUSES, federation=True)
    for campaign in campaigns.select_related("organisation"):
        try:
            actor = campaign_actor(campaign)
        except Gone:
            continue
        if actor is not None:
            with override(campaign.language):
                created += post(actor, campaign_events(actor, campaign))
    try:
        actor = observatory_actor()
    except Gone:
        actor = None
    if actor is not None:
        with override("fr"):
            created += post(actor, observatory_events(actor))
    return created


def _since(actor: Actor):
    return max(actor.created_at, timezone.now() - WINDOW)


def tagged(url: str) -> str:
    """The address with ?via=fediverse, before any fragment."""
    base, hash_, fragment = url.partition("#")
    return f"{base}{'&' if '?' in base else '?'}via=fediverse{hash_}{fragment}"


def campaign_events(actor: Actor, campaign: Campaign) -> list[Event]:
    since = _since(actor)
    url = campaign_url(campaign, "fediverse")
    events = [
        Event(entry.key, entry.title, entry.summary_html, url, campaign.language)
        for entry in campaign_feeds.entries(campaign)
        if entry.updated >= since
    ]
    for row in campaign.timeline.filter(created_at__gte=since):
        html = str(render_markdown(row.text)) if row.text else ""
        events.append(Event(f"timeline-{row.pk}", row.title, html, url, row.language))
    count = Campaign.objects.values_list("confirmed_count", flat=True).get(pk=campaign.pk)
    for step in sorted({*campaign.milestones, campaign.goal}):
        if actor.baseline < step <= count:
            title = _("%(step)s mandats : une étape de plus vers l'objectif") % {
                "step": number_format(step, force_grouping=True)
            }
            text = _("Objectif : %(goal)s. Signez le mandat et partagez la plainte.") % {
                "goal": number_format(campaign.goal, force_grouping=True)
            }
            events.append(
                Event(f"milestone-{step}", title, f"<p>{escape(text)}</p>", url, campaign.language)
            )
    return events


def observatory_events(actor: Actor) -> list[Event]:
    since = _since(actor)
    entries = observatory_feeds.claim_entries(Claim.objects.filter(created_at__gte=since))
    # A request whose latest step (answer, refusal, referral, opinion) came in the window.
    day = since.date()
    steps = Q(answered_on__gte=day) | Q(refused_on__gte=day) | Q(referred_on__gte=day)
    requests = DocumentRequest.objects.exclude(status=DocumentRequest.Status.SENT)
    for request in requests.filter(steps | Q(opinion_on__gte=day)).select_related("place"):
        entries.append(observatory_feeds.request_entry(request))
    return [
        Event(entry.key, entry.title, entry.summary_html, tagged(absolute(entry.path)), "fr")
        for entry in entries
    ]


def post(actor: Actor, events: list[Event]) -> int:
    done = set(
        Activity.objects.filter(actor=actor, event__in=[e.key for e in events]).values_list(
            "event", flat=True
        )
    )
    created = 0
    for event in events:
        if event.key in done:
            continue
        content = (
            f"<p><strong>{escape(event.title)}</strong></p>{event.html}"
            f'<p><a href="{escape(event.url)}">{escape(event.url)}</a></p>'
        )
        payload = note_activity(
            actor, event.key, content=content, url=event.url, language=event.language
        )
        try:
            with transaction.atomic():
                activity = Activity.objects.create(
                    actor=actor, event=event.key, kind=Activity.Kind.CREATE, payload=payload
                )
                deliver_to_followers(activity)
        except IntegrityError:
            continue  # posted meanwhile by another worker
        created += 1
    return created
