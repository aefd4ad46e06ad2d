"""The campaign page: the complaint, the counter and the sign form, the most viewed page
of a surge. It belongs to the sign path because it carries the sign form.

Its HTML is the same for every visitor but for two values: the sign form's one-time
clock and the channel the visitor's link came through (?via=). No CSRF token and no
cookie: the sign form is protected by the browser's own headers (core/csrf.py). The page
is always rendered with those two as slots, the marker strings below, and each request
fills them in (core/slots.py: one join of bytes, no template rendering).
The template itself writes the markers where the values go, so the cached page cannot
drift from the markup: there is no pattern to keep in step with it."""

from functools import partial

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from recours.campaigns import share_counters, tallies
from recours.campaigns.card import card_text
from recours.campaigns.domain import (
    PublishedTexts,
    confirmed_count,
    draft_contents,
    published_texts,
)
from recours.campaigns.models import Campaign, TextVersion
from recours.campaigns.presentation import (
    RECENT_SHOWN_FROM,
    appearance,
    in_language,
    picture_sources,
    progress,
    time_left_message,
)
from recours.campaigns.sharing import channel_of, share_context
from recours.core import microcache
from recours.core.caches import digest_key
from recours.core.middleware import content_security_policy
from recours.core.slots import Slotted
from recours.core.text import render_markdown
from recours.mandates import pow
from recours.mandates.forms import SignForm, form_clock

PAGE_CACHE_SECONDS = 60
CLOCK_SLOT, VIA_SLOT = "@@form-clock@@", "@@via@@"
TEMPLATE = "mandates/campaign_page.html"
# The Mastodon share form leads, through our redirect, to the visitor's instance.
PAGE_CSP = content_security_policy(form_action="'self' https:")


def filled(page: Slotted, request) -> bytes:
    """The page with a fresh form clock and the visitor's channel."""
    return page.filled(
        {
            CLOCK_SLOT: form_clock().encode(),
            # One of ours or nothing: safe in HTML.
            VIA_SLOT: channel_of(request.GET.get("via")).encode(),
        }
    )


def recent_mandates(campaign: Campaign, now) -> int | None:
    """What the counter gained in the last 24 hours (to the hour, from the tallies),
    when it is enough to say so."""
    count = tallies.growth(campaign.pk, hours=24, now=now)
    return count if count >= RECENT_SHOWN_FROM else None


def page_context(
    request, campaign: Campaign, form: SignForm | None = None, texts: PublishedTexts | None = None
) -> dict:
    """What the template needs. Without a form (the page as everyone first sees it), the
    fresh sign form carries the clock slot; a form sent back with errors keeps its data.
    With `texts` (a preview of unpublished ones), the page takes no signature."""
    preview = texts is not None
    texts = texts or published_texts(campaign)
    if texts is None:
        raise Http404
    now = timezone.now()
    campaign.confirmed_count = confirmed_count(campaign)
    accepting = campaign.is_accepting_signatures(now) and not preview
    if accepting and form is None:
        form = SignForm(
            asks_postal_address=campaign.asks_postal_address,
            initial={
                "clock": CLOCK_SLOT,
                "via": VIA_SLOT,
                "complaint_version": texts.complaint.pk,
                "mandate_version": texts.mandate.pk,
            },
        )
    complaint = texts.complaint.content
    state = progress(campaign.confirmed_count, campaign.goal, campaign.milestones)
    return {
        "campaign": campaign,
        "texts": texts,
        "body_html": render_markdown(complaint["body"]),
        "grounds": [
            {**ground, "html": render_markdown(ground["text"])} for ground in complaint["grounds"]
        ],
        "mandate_html": render_markdown(texts.mandate.content["text"]),
        "accepting": accepting,
        "progress": state,
        "card_alt": card_text(campaign, state).alt,
        "last_day": recent_mandates(campaign, now),
        "time_left": time_left_message(campaign.closes_at, now),
        "form": form if accepting else None,
        "share_url": request.build_absolute_uri(campaign.get_absolute_url()),  # canonical
        **share_context(campaign),
        "pow_strings": pow.widget_strings(),
        "preview": preview,
        "logo": picture_sources(campaign.organisation.logo, "4rem"),
        "hero": picture_sources(campaign.hero, "(min-width: 64rem) 46rem, 100vw"),
        "questions": [
            {"row": row, "html": render_markdown(row.answer)}
            for row in in_language(campaign.questions.all(), get_language(), campaign.language)
        ],
        "timeline": [
            {"row": row, "html": render_markdown(row.text) if row.text else ""}
            for row in in_language(campaign.timeline.all(), get_language(), campaign.language)
        ],
    }


def preview_page(request, campaign: Campaign) -> HttpResponse:
    """The public page as it will read once the campaign's draft texts are published:
    the same template, renderer and sanitiser, with the draft in place of the versions
    in force. For the organisers' console; never cached, never indexed."""
    drafts = {
        kind: TextVersion(campaign=campaign, kind=kind, number=0, content=content)
        for kind, content in draft_contents(campaign).items()
    }
    texts = PublishedTexts(
        complaint=drafts[TextVersion.Kind.COMPLAINT], mandate=drafts[TextVersion.Kind.MANDATE]
    )
    html = render_to_string(TEMPLATE, page_context(request, campaign, texts=texts), request)
    response = HttpResponse(html)
    response["Content-Security-Policy"] = PAGE_CSP
    response["X-Robots-Tag"] = "noindex"
    return response


def render_slotted(request, campaign: Campaign, form: SignForm | None = None) -> Slotted:
    return Slotted.of(render_to_string(TEMPLATE, page_context(request, campaign, form), request))


def page_response(html: bytes | str, status: int = 200) -> HttpResponse:
    response = HttpResponse(html, status=status)
    response["Content-Security-Policy"] = PAGE_CSP
    # The page holds a one-time form key (the clock): no shared cache may give it to two
    # visitors, whose signatures would then count as one.
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def render_campaign_page(request, campaign: Campaign, form: SignForm, status: int):
    """The page with a sign form sent back with its errors (never cached)."""
    return page_response(filled(render_slotted(request, campaign, form), request), status=status)


def _cache_key(request, campaign: Campaign) -> str:
    """Everything that changes the page but the slots: texts, count, whether it accepts
    signatures, time left, language, host."""
    texts = published_texts(campaign)
    if texts is None:
        raise Http404
    now = timezone.now()
    parts = (
        *appearance(campaign),
        texts.complaint.sha256,
        texts.mandate.sha256,
        get_language(),
        confirmed_count(campaign),
        tuple(campaign.milestones or ()),
        campaign.is_accepting_signatures(now),
        time_left_message(campaign.closes_at, now),
        request.get_host(),
    )
    return digest_key("campaign-page/3", parts)


def cached_campaign_page(request, campaign: Campaign) -> HttpResponse:
    key = _cache_key(request, campaign)
    page = cache.get(key)
    if page is None:
        page = render_slotted(request, campaign)
        cache.set(key, page, PAGE_CACHE_SECONDS)
    response = page_response(_counted(page, campaign.pk, request))
    # Until it expires, this process answers the next views from the page kept here.
    return microcache.replay_with(response, partial(_counted, page, campaign.pk))


def _counted(page: Slotted, campaign_id: int, request) -> bytes:
    """The page filled in for `request`, its visit counted when it came through one of
    the campaign's share links."""
    if via := channel_of(request.GET.get("via")):
        share_counters.count_visit(campaign_id, via)
    return filled(page, request)
