"""The page a signer sees once their mandate is confirmed: after the campaign page, the
most rendered page of a surge. It is the same for every signer of a campaign but for
their receipt (log position and commitment), so it is rendered once per campaign state
and language with the receipt's two values as markers (core/slots.py), kept in the
shared cache, and filled in for each confirmation."""

from types import SimpleNamespace

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from recours.campaigns.models import Campaign
from recours.campaigns.presentation import appearance
from recours.campaigns.sharing import share_context
from recours.core.caches import digest_key
from recours.core.slots import Slotted
from recours.mandates.campaign_page import PAGE_CSP
from recours.mandates.models import Mandate

TEMPLATE = "mandates/confirmed.html"
POSITION_SLOT, COMMITMENT_SLOT = "@@log-position@@", "@@commitment@@"
KEEP_SECONDS = 300


def confirmed_response(request, mandate: Mandate) -> HttpResponse:
    page = _page(request, mandate.campaign)
    html = page.filled(
        {
            POSITION_SLOT: str(mandate.log_position).encode(),
            COMMITMENT_SLOT: mandate.commitment.encode(),
        }
    )
    response = HttpResponse(html)
    response["Content-Security-Policy"] = PAGE_CSP
    return response


def _page(request, campaign: Campaign) -> Slotted:
    key = digest_key(
        "confirmed-page/1", (*appearance(campaign), get_language(), request.get_host())
    )
    page = cache.get(key)
    if page is None:
        context = {
            "campaign": campaign,
            "mandate": SimpleNamespace(log_position=POSITION_SLOT, commitment=COMMITMENT_SLOT),
            # The language switch leads back to the campaign, never to this signer's link.
            "request": SimpleNamespace(get_full_path=campaign.get_absolute_url),
            **share_context(campaign),
        }
        page = Slotted.of(render_to_string(TEMPLATE, context, request))
        cache.set(key, page, KEEP_SECONDS)
    return page
