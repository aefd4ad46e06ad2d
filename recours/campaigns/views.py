import io
import re
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from recours.campaigns.card import card_png
from recours.campaigns.domain import (
    PUBLIC_STATUSES,
    cached_public_campaign,
    confirmed_count,
    public_campaign,
)
from recours.campaigns.models import Campaign, Rendition
from recours.campaigns.presentation import progress
from recours.campaigns.sharing import campaign_url, share_message
from recours.core.middleware import content_security_policy

# A host name as people type it for their Mastodon instance: "mastodon.social".
INSTANCE_PATTERN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


@require_safe
def home(request):
    now = timezone.now()
    campaigns = Campaign.objects.filter(
        status=Campaign.Status.OPEN, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at")
    past = Campaign.objects.filter(status__in=PUBLIC_STATUSES).exclude(
        pk__in=[campaign.pk for campaign in campaigns]
    )
    return render(request, "campaigns/home.html", {"campaigns": campaigns, "past": past})


@require_safe
@cache_control(public=True, max_age=10)
def count_json(request, slug):
    campaign = cached_public_campaign(slug)
    response = JsonResponse(
        {
            "campaign": campaign.slug,
            "confirmed": confirmed_count(campaign),
            "goal": campaign.goal,
            "status": campaign.status,
            "accepting_signatures": campaign.is_accepting_signatures(),
            "closes_at": campaign.closes_at.isoformat(),
        }
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_control(public=True, max_age=60)
def badge_svg(request, slug):
    campaign = cached_public_campaign(slug)
    count = confirmed_count(campaign)
    label = _("mandats")
    return render(
        request,
        "campaigns/badge.svg",
        {"count": count, "label": label, "goal": campaign.goal},
        content_type="image/svg+xml",
    )


@require_safe
@xframe_options_exempt
@cache_control(public=True, max_age=60)
def widget(request, slug):
    """The counter for an <iframe> on another site. The only page that may be framed: its
    own frame-ancestors (WIDGET_FRAME_ANCESTORS, any site by default); every other page
    keeps 'none'."""
    campaign = cached_public_campaign(slug)
    count = confirmed_count(campaign)
    response = render(
        request,
        "campaigns/widget.html",
        {
            "campaign": campaign,
            "count": count,
            "progress": progress(count, campaign.goal, campaign.milestones),
            "accepting": campaign.is_accepting_signatures(),
            "sign_url": settings.SITE_URL + campaign.get_absolute_url() + "?via=widget#signer",
        },
    )
    response["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=settings.WIDGET_FRAME_ANCESTORS
    )
    return response


@require_safe
@cache_control(public=True, max_age=600)
def card(request, slug):
    """The share card (og:image) in the language its address names (?lang=): link
    previews come without cookies (card.py)."""
    campaign = cached_public_campaign(slug)
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        return HttpResponse(card_png(campaign), content_type="image/png")


@require_safe
@cache_control(public=True, max_age=3600)
def qr_svg(request, slug):
    """The campaign's address (tagged ?via=qr) as a QR code, for posters and stalls:
    drawn here as SVG, scalable to any print size, with a quiet zone and error correction
    high enough to survive a fold or a stain."""
    campaign = public_campaign(slug)
    code = segno.make(campaign_url(campaign, "qr"), error="q")
    svg = io.BytesIO()
    code.save(svg, kind="svg", scale=8, border=4, title=campaign.title, svgclass="qr", nl=False)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@require_safe
def share_mastodon(request, slug):
    campaign = public_campaign(slug)
    instance = request.GET.get("instance", "").strip().lower()
    instance = instance.removeprefix("https://").removeprefix("http://").rstrip("/")
    instance = instance.rsplit("@", 1)[-1]  # "@me@example.social" names its instance too
    if not INSTANCE_PATTERN.match(instance):
        return render(
            request,
            "campaigns/share_mastodon_error.html",
            {"campaign": campaign, "instance": instance[:100]},
            status=400,
        )
    text = f"{share_message(campaign)}\n{campaign_url(campaign, 'mastodon')}"
    return HttpResponseRedirect(f"https://{instance}/share?{urlencode({'text': text})}")


@require_safe
def privacy(request, slug):
    campaign = public_campaign(slug)
    return render(request, "campaigns/privacy.html", {"campaign": campaign})


CONTENT_TYPES = {"webp": "image/webp", "png": "image/png", "jpeg": "image/jpeg"}


@require_safe
@cache_control(public=True, max_age=31536000, immutable=True)
def picture(request, sha256, width, fmt):
    """A rendition of an organiser's image. Its address holds its hash: it never
    changes, so browsers and proxies keep it for a year."""
    data = (
        Rendition.objects.filter(picture__sha256=sha256, width=width, format=fmt)
        .values_list("data", flat=True)
        .first()
    )
    if data is None or fmt not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[fmt])
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@cache_control(public=True, max_age=600)
def theme(request, slug):
    """The campaign's colour as a stylesheet: the CSP allows no inline style, and the
    colour was checked for contrast where it was set."""
    campaign = public_campaign(slug)
    css = f":root {{ --accent: {campaign.accent}; }}\n" if campaign.accent else ""
    return HttpResponse(css, content_type="text/css; charset=utf-8")
