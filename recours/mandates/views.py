from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_safe

from recours.campaigns import sharing
from recours.campaigns.domain import (
    cached_public_campaign,
    cached_public_campaign_and_texts,
    confirmed_count,
    public_campaign,
    published_texts,
)
from recours.core import microcache
from recours.core.csrf import cross_origin_protected
from recours.core.feeds import atom_response
from recours.core.ratelimit import client_ip, network_of, refusal_response
from recours.core.reverse import cached_reverse
from recours.mandates import abuse, domain, feeds, intake, paper, pow, transparency
from recours.mandates.campaign_page import PAGE_CSP, cached_campaign_page, render_campaign_page
from recours.mandates.confirmed_page import confirmed_response
from recours.mandates.forms import ReceiptForm, RightsRequestForm, SignForm, form_clock
from recours.mandates.models import MandateToken

TOKEN_PAGE_STATUS = {
    domain.TokenProblem.UNKNOWN: 404,
    domain.TokenProblem.USED: 410,
    domain.TokenProblem.EXPIRED: 410,
    domain.TokenProblem.CLOSED: 410,
    domain.TokenProblem.WITHDRAWN: 410,
}


def token_problem_page(request, slug, problem: domain.TokenProblem):
    return render(
        request,
        "mandates/token_problem.html",
        {"problem": problem.value, "campaign": public_campaign(slug)},
        status=TOKEN_PAGE_STATUS[problem],
    )


@require_safe
def campaign_page(request, slug):
    return cached_campaign_page(request, cached_public_campaign(slug))


@cross_origin_protected  # no cookie: the campaign page sets none (core/csrf.py)
@require_http_methods(["GET", "POST"])
def sign(request, slug):
    # From the cache, like the page: a change of status or key drops it at once.
    campaign, texts = cached_public_campaign_and_texts(slug)
    if request.method == "GET":  # e.g. a reload after an error: back to the form
        return redirect(campaign.get_absolute_url() + "#signer")
    refusal = abuse.check_sender(
        request,
        proved=pow.proved(request.POST.get("altcha", "")),
        email=request.POST.get("email", ""),
    )
    if refusal:
        return too_many(request, campaign, refusal)
    if not campaign.is_accepting_signatures() or texts is None:
        return render(request, "mandates/not_open.html", {"campaign": campaign}, status=409)
    form = SignForm(request.POST, asks_postal_address=campaign.asks_postal_address)
    if form.is_bot:
        # Answer a bot as a person, so that it learns nothing; store nothing.
        return HttpResponseRedirect(cached_reverse("mandates:check_mail", slug))
    if not form.is_valid():
        form.data = form.data.copy()
        form.data["clock"] = form_clock()
        return render_campaign_page(request, campaign, form, status=400)
    if (form.cleaned_data["complaint_version"], form.cleaned_data["mandate_version"]) != (
        texts.complaint.pk,
        texts.mandate.pk,
    ):
        return render(request, "mandates/text_changed.html", {"campaign": campaign}, status=409)
    try:
        signature = domain.prepare_signature(
            campaign=campaign,
            identity=form.identity(),
            texts=texts,
            language=get_language(),
            submission_key=form.submission_key,
            network=network_of(client_ip(request)),
        )
    except domain.CampaignNotOpen:
        return render(request, "mandates/not_open.html", {"campaign": campaign}, status=409)
    # Stored, committed, then answered; the worker records it (mandates/intake.py). No
    # public page shows it before it is confirmed: this process keeps the pages it holds.
    intake.receive_signature(signature, via=form.cleaned_data["via"])
    return microcache.reads_unchanged(
        HttpResponseRedirect(cached_reverse("mandates:check_mail", slug))
    )


@never_cache
@require_safe
def pow_challenge(request, slug):
    """A proof-of-work challenge for the sign form's widget (JavaScript only)."""
    public_campaign(slug)
    return JsonResponse(pow.new_challenge())


def too_many(request, campaign, refusal):
    return refusal_response(request, refusal, "mandates/too_many.html", {"campaign": campaign})


def check_mail(request, slug):
    campaign = public_campaign(slug)
    return with_share_panel(request, "mandates/check_mail.html", {"campaign": campaign})


def with_share_panel(request, template: str, context: dict):
    """A page that carries the share panel: its links, and the CSP that lets the Mastodon
    form lead to the visitor's instance."""
    response = render(request, template, context | sharing.share_context(context["campaign"]))
    response["Content-Security-Policy"] = PAGE_CSP
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, slug, token):
    try:
        if request.method == "POST":
            public = cached_public_campaign_and_texts(slug)
            return confirmed_response(request, domain.confirm_mandate(token=token, public=public))
        mandate = domain.check_confirm_token(token=token)
    except domain.TokenError as error:
        return token_problem_page(request, slug, error.problem)
    return render(request, "mandates/confirm.html", {"campaign": mandate.campaign})


@never_cache
@require_http_methods(["GET"])
def manage(request, slug, token):
    try:
        mandate = domain.mandate_for_manage_token(token=token)
    except domain.TokenError as error:
        return token_problem_page(request, slug, error.problem)
    return render(
        request, "mandates/manage.html", {"campaign": mandate.campaign, "mandate": mandate}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, slug, token):
    try:
        if request.method == "POST":
            mandate = domain.withdraw_mandate(token=token)
            return render(request, "mandates/withdrawn.html", {"campaign": mandate.campaign})
        mandate = domain.mandate_for_manage_token(token=token)
    except domain.TokenError as error:
        return token_problem_page(request, slug, error.problem)
    return render(
        request,
        "mandates/withdraw_confirm.html",
        {"campaign": mandate.campaign, "mandate": mandate},
    )


@require_safe
def transparency_page(request, slug):
    campaign = public_campaign(slug)
    head = transparency.log_head(campaign.pk)
    context = {"campaign": campaign, "head": head, "counter": confirmed_count(campaign)}
    return render(request, "mandates/transparency.html", context)


@require_safe
@cache_control(public=True, max_age=10)
def transparency_json(request, slug):
    campaign = public_campaign(slug)
    head = transparency.log_head(campaign.pk)
    response = JsonResponse(
        {
            "campaign": campaign.slug,
            "log_size": head.size,
            "count": head.count,
            "published_counter": confirmed_count(campaign),
            "merkle_root": head.root,
            "head_hash": head.head_hash,
            "tree": "RFC 9162: leaf = SHA-256(0x00 || entry_hash), node = SHA-256(0x01 || l || r)",
        }
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def transparency_verify(request, slug):
    campaign = public_campaign(slug)
    form = ReceiptForm(request.GET or None)
    result = None
    if form.is_valid():
        result = transparency.check_receipt(
            campaign.pk,
            commitment=form.cleaned_data["commitment"],
            position=form.cleaned_data["position"],
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    context = {"campaign": campaign, "form": form, "result": result}
    return render(request, "mandates/transparency_verify.html", context, status=status)


@never_cache
@require_safe
def held_data(request, slug, token):
    try:
        mandate = domain.mandate_for_manage_token(token=token)
    except domain.TokenError as error:
        return token_problem_page(request, slug, error.problem)
    response = JsonResponse(domain.held_data(mandate), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="mandat-{slug}.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def rights_request(request, slug, token):
    try:
        mandate = domain.mandate_for_manage_token(token=token)
    except domain.TokenError as error:
        return token_problem_page(request, slug, error.problem)
    form = RightsRequestForm(request.POST or None)
    context = {"campaign": mandate.campaign, "mandate": mandate, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "mandates/rights_request.html", context, status=400)
        domain.request_rights(
            token=token,
            kind=dict(RightsRequestForm.KINDS)[form.cleaned_data["kind"]],
            reply_to=form.cleaned_data["email"],
            message=form.cleaned_data["message"],
        )
        return render(request, "mandates/rights_request_sent.html", context)
    return render(request, "mandates/rights_request.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, slug, token):
    try:
        if request.method == "POST":
            mandate = domain.unsubscribe_from_updates(token=token)
            return render(request, "mandates/unsubscribed.html", {"campaign": mandate.campaign})
        mandate = domain.mandate_for_token(token=token, purpose=MandateToken.Purpose.UNSUBSCRIBE)
    except domain.TokenError as error:
        return token_problem_page(request, slug, error.problem)
    return render(request, "mandates/unsubscribe.html", {"campaign": mandate.campaign})


@require_safe
def feed(request, slug):
    """The campaign's timeline and news as an Atom feed (feeds.py)."""
    campaign = public_campaign(slug)
    return atom_response(
        feeds.campaign_feed(campaign),
        lambda: feeds.entries(campaign),
        version=feeds.version(campaign),
    )


@require_safe
def paper_page(request, slug):
    """How to sign on paper: the other way to sign the accessibility statement promises."""
    campaign = public_campaign(slug)
    texts = published_texts(campaign)
    return render(
        request,
        "mandates/paper.html",
        {"campaign": campaign, "texts": texts, "accepting": campaign.is_accepting_signatures()},
    )


@require_safe
@cache_control(public=True, max_age=300)
def paper_pdf(request, slug):
    campaign = public_campaign(slug)
    texts = published_texts(campaign)
    if not campaign.is_accepting_signatures() or texts is None:
        return render(request, "mandates/not_open.html", {"campaign": campaign}, status=409)
    pdf = paper.form_pdf(campaign, paper.PaperTexts(texts.complaint, texts.mandate))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mandat-{campaign.slug}.pdf"'
    return response
