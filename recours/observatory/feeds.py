"""The observatory's Atom feeds: new claims overall, per place (a commune, an
intercommunalité, a département or a région, with everything inside it) and per
technology, and the outcomes of document requests per place. One query per feed."""

from datetime import datetime, time

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from recours.core.feeds import MAX_ENTRIES, Entry, newest
from recours.observatory.models import Claim, DocumentRequest, Place

AUTHOR = "Recours · Observatoire"


def claim_entries(claims) -> list[Entry]:
    rows = claims.select_related("place", "vendor").order_by("-created_at", "-pk")[:MAX_ENTRIES]
    return [_claim_entry(claim) for claim in rows]


def _claim_entry(claim: Claim) -> Entry:
    parts = [capfirst(claim.get_technology_display()), claim.place.name]
    if claim.vendor:
        parts.append(claim.vendor.name)
    parts.append(claim.get_status_display())
    facts = [
        _("Fiabilité : %(level)s.") % {"level": claim.get_confidence_display()},
    ]
    if claim.quantity is not None:
        facts.append(_("Quantité : %(n)s.") % {"n": claim.quantity})
    return Entry(
        title=" · ".join(parts),
        path=f"{claim.place.get_absolute_url()}#claim-{claim.pk}",
        key=f"claim-{claim.pk}",
        updated=claim.updated_at,
        published=claim.created_at,
        summary_html=linebreaks(escape(claim.summary)) + "<p>" + escape(" ".join(facts)) + "</p>",
        categories=(str(claim.get_technology_display()),),
    )


def request_entries(place: Place) -> list[Entry]:
    """The requests that have an outcome: an answer, a refusal, the CADA seized, its
    opinion; each dated by its latest step."""
    rows = (
        DocumentRequest.objects.filter(place.within())
        .exclude(status=DocumentRequest.Status.SENT)
        .select_related("place")
        .order_by("-pk")[:MAX_ENTRIES]
    )
    return [request_entry(request) for request in rows]


def _at_noon(day) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


def request_entry(request: DocumentRequest) -> Entry:
    latest = newest(*(
        _at_noon(day)
        for day in (request.answered_on, request.refused_on, request.referred_on, request.opinion_on)
    ))  # fmt: skip
    outcome = request.get_status_display()
    if request.opinion:
        outcome = f"{outcome} ({request.get_opinion_display()})"
    summary = _("Demande envoyée le %(date)s.") % {"date": request.sent_on.isoformat()}
    return Entry(
        title=_("Demande de documents à %(place)s : %(outcome)s")
        % {"place": request.place.name, "outcome": outcome},
        path=f"{request.place.get_absolute_url()}#requests-title",
        key=f"document-request-{request.pk}-{request.status}",
        updated=latest,
        published=_at_noon(request.sent_on),
        summary_html=f"<p>{escape(summary)}</p>",
    )


def requests_version(place: Place) -> str:
    state = DocumentRequest.objects.filter(place.within()).aggregate(
        n=Count("pk"),
        top=Max("pk"),
        answered=Max("answered_on"),
        refused=Max("refused_on"),
        referred=Max("referred_on"),
        opinion=Max("opinion_on"),
    )
    return str(sorted(state.items()))
