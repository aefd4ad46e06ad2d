import re
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from recours.campaigns.domain import confirmed_count, published_texts
from recours.campaigns.models import Campaign
from recours.campaigns.presentation import time_left_message
from recours.core.crypto import sha256_hex
from recours.core.middleware import content_security_policy
from recours.core.text import render_markdown
from recours.mandates import pow
from recours.mandates.forms import SignForm, form_clock

PUBLIC_STATUSES = [
    Campaign.Status.OPEN,
    Campaign.Status.CLOSED,
    Campaign.Status.FILED,
    Campaign.Status.CASE_CLOSED,
]
# A host name as people type it for their Mastodon instance: "mastodon.social".
INSTANCE_PATTERN = re.compile(
    r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)


def public_campaign(slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("organisation"), slug=slug, status__in=PUBLIC_STATUSES
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


def render_campaign_page(request, campaign: Campaign, form: SignForm | None = None, status=200):
    texts = published_texts(campaign)
    if texts is None:
        raise Http404
    now = timezone.now()
    campaign.confirmed_count = confirmed_count(campaign)
    accepting = campaign.is_accepting_signatures(now)
    if accepting and form is None:
        form = SignForm(
            asks_postal_address=campaign.asks_postal_address,
            initial={
                "clock": form_clock(),
                "complaint_version": texts.complaint.pk,
                "mandate_version": texts.mandate.pk,
            },
        )
    complaint = texts.complaint.content
    context = {
        "campaign": campaign,
        "texts": texts,
        "body_html": render_markdown(complaint["body"]),
        "grounds": [
            {**ground, "html": render_markdown(ground["text"])} for ground in complaint["grounds"]
        ],
        "mandate_html": render_markdown(texts.mandate.content["text"]),
        "accepting": accepting,
        "time_left": time_left_message(campaign.closes_at, now),
        "form": form if accepting else None,
        "share_url": request.build_absolute_uri(campaign.get_absolute_url()),
        "pow_strings": pow.widget_strings(),
    }
    response = render(request, "campaigns/campaign_detail.html", context, status=status)
    # The Mastodon share form leads, through our redirect, to the visitor's instance.
    response["Content-Security-Policy"] = content_security_policy(form_action="'self' https:")
    return response


PAGE_CACHE_SECONDS = 60
CSRF_SLOT, CLOCK_SLOT = "@@csrf-token@@", "@@form-clock@@"


@require_safe
def detail(request, slug):
    """The campaign page, the most viewed page of a surge. Its HTML is the same for every
    visitor but for the CSRF token and the form's one-time clock, so it is cached with
    those two left as slots and filled in for each request (a string replace, no template
    rendering). The key holds everything else that changes it: texts, count, time left,
    language, host."""
    campaign = public_campaign(slug)
    texts = published_texts(campaign)
    if texts is None:
        raise Http404
    now = timezone.now()
    parts = (
        campaign.pk,
        texts.complaint.sha256,
        texts.mandate.sha256,
        get_language(),
        confirmed_count(campaign),
        campaign.is_accepting_signatures(now),
        time_left_message(campaign.closes_at, now),
        request.get_host(),
    )
    key = "campaign-page:" + sha256_hex("\x1f".join(map(str, parts)).encode())
    cached = cache.get(key)
    if cached is None:
        response = render_campaign_page(request, campaign)
        html = response.content.decode()
        # Every form of the page carries the same token (the template computes it once).
        for pattern, slot in (
            (r'name="csrfmiddlewaretoken" value="([^"]+)"', CSRF_SLOT),
            (r'name="clock" value="([^"]+)"', CLOCK_SLOT),
        ):
            found = re.search(pattern, html)
            if found:
                html = html.replace(found.group(1), slot)
        cache.set(key, (html, response["Content-Security-Policy"]), PAGE_CACHE_SECONDS)
        return response
    html, csp = cached
    html = html.replace(CSRF_SLOT, get_token(request)).replace(CLOCK_SLOT, form_clock())
    response = HttpResponse(html)
    response["Content-Security-Policy"] = csp
    return response


@require_safe
@cache_control(public=True, max_age=10)
def count_json(request, slug):
    campaign = public_campaign(slug)
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
    campaign = public_campaign(slug)
    count = confirmed_count(campaign)
    label = _("mandats")
    return render(
        request,
        "campaigns/badge.svg",
        {"count": count, "label": label, "goal": campaign.goal},
        content_type="image/svg+xml",
    )


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
    text = f"{campaign.title}\n{request.build_absolute_uri(campaign.get_absolute_url())}"
    return HttpResponseRedirect(f"https://{instance}/share?{urlencode({'text': text})}")


@require_safe
def privacy(request, slug):
    campaign = public_campaign(slug)
    return render(request, "campaigns/privacy.html", {"campaign": campaign})
