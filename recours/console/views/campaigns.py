"""A campaign in the console: its set-up steps, the key ceremony, the preview, the
publication of its texts and its lifecycle."""

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from recours.campaigns.domain import NEXT_STATUS, StatusError, published_texts
from recours.campaigns.models import Campaign, Ground
from recours.campaigns.presentation import picture_sources
from recours.console import domain, setup
from recours.console.access import (
    CAN_EDIT,
    CAN_SEE_FIGURES,
    campaign_for,
    can_edit,
    organisation_for,
    verified_member_required,
)
from recours.console.forms import (
    CalendarForm,
    ComplaintForm,
    ConfirmForm,
    GroundForm,
    IdentityForm,
    MandateTextForm,
    NewCampaignForm,
    PublicKeyForm,
    QuestionFormSet,
    SourceFormSet,
    TimelineFormSet,
)
from recours.core.crypto import fingerprint, public_key_is_valid
from recours.mandates.campaign_page import preview_page


@verified_member_required
def campaign_new(request, pk):
    organisation = organisation_for(request.user, pk, CAN_EDIT)
    form = NewCampaignForm(request.POST or None, initial={"language": "fr"})
    if request.method == "POST" and form.is_valid():
        campaign = domain.create_campaign(
            organisation=organisation,
            title=form.cleaned_data["title"],
            slug=form.cleaned_data["slug"],
            language=form.cleaned_data["language"],
            by=request.user,
        )
        return redirect("console:campaign", campaign.slug)
    return render(
        request,
        "console/campaign_new.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@verified_member_required
def campaign(request, slug):
    campaign = campaign_for(request.user, slug, CAN_SEE_FIGURES)
    steps = setup.steps(campaign)
    context = {
        "campaign": campaign,
        "editor": can_edit(request.user, campaign),
        "steps": steps,
        "next_label": Campaign.Status(target).label
        if (target := NEXT_STATUS.get(campaign.status))
        else "",
        "published": published_texts(campaign),
        "draft_differs": not steps[-1].done,  # the last step: the draft is published
        "history": campaign.status_changes.order_by("changed_at"),
        "versions": campaign.versions.order_by("kind", "-number"),
    }
    return render(request, "console/campaign.html", context)


def _step_view(request, slug, *, step, form_class, template="console/campaign_step.html", title=""):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    form = form_class(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        domain.save_step(campaign=campaign, step=step, form=form, by=request.user)
        if "preview" in request.POST:
            return redirect("console:preview", slug)
        return redirect("console:campaign", slug)
    context = {"campaign": campaign, "form": form, "step": step, "title": title}
    return render(request, template, context, status=400 if form.errors else 200)


@verified_member_required
def texts(request, slug):
    return _step_view(request, slug, step="texts", form_class=ComplaintForm, title=_("La plainte"))


@verified_member_required
def mandate(request, slug):
    return _step_view(
        request, slug, step="mandate", form_class=MandateTextForm, title=_("Le mandat")
    )


@verified_member_required
def calendar(request, slug):
    return _step_view(
        request, slug, step="calendar", form_class=CalendarForm, title=_("Objectif et dates")
    )


@verified_member_required
def grounds(request, slug):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    return render(
        request,
        "console/grounds.html",
        {"campaign": campaign, "grounds": campaign.grounds.prefetch_related("sources")},
    )


@verified_member_required
def ground(request, slug, ground_pk=None):
    """One ground with its sources: the ground's fields and a formset of sources, saved
    together or not at all."""
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    instance = (
        get_object_or_404(Ground, pk=ground_pk, campaign=campaign)
        if ground_pk
        else Ground(campaign=campaign, position=campaign.grounds.count() + 1)
    )
    data = request.POST or None
    form = GroundForm(data, instance=instance)
    sources = SourceFormSet(data, instance=instance, prefix="sources")
    if request.method == "POST":
        if "delete" in request.POST and ground_pk:
            with transaction.atomic():
                instance.delete()
                domain.record_change(campaign=campaign, step="grounds", by=request.user)
            return redirect("console:grounds", slug)
        if form.is_valid() and sources.is_valid():
            with transaction.atomic():
                saved = form.save()
                sources.instance = saved
                sources.save()
                domain.record_change(campaign=campaign, step="grounds", by=request.user)
            return redirect("console:grounds", slug)
    context = {"campaign": campaign, "form": form, "sources": sources, "ground": instance}
    errors = form.errors or any(sources.errors) or sources.non_form_errors()
    return render(request, "console/ground.html", context, status=400 if errors else 200)


@verified_member_required
def key(request, slug):
    """The key ceremony: the console explains the offline steps and accepts only the
    public key, then shows its fingerprint for the share holders to read aloud."""
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    form = PublicKeyForm(request.POST or None)
    locked = campaign.status != Campaign.Status.DRAFT
    if request.method == "POST" and not locked and form.is_valid():
        domain.register_public_key(
            campaign=campaign, public_key=form.cleaned_data["public_key"], by=request.user
        )
        return redirect("console:key", slug)
    has_key = public_key_is_valid(campaign.public_key)
    context = {
        "campaign": campaign,
        "form": form,
        "locked": locked,
        "fingerprint": fingerprint(campaign.public_key) if has_key else "",
    }
    return render(request, "console/key.html", context, status=400 if form.errors else 200)


@verified_member_required
def preview(request, slug):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    return preview_page(request, campaign)


@verified_member_required
def publish(request, slug):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    form = ConfirmForm(request.POST or None)
    missing = setup.missing_for_publication(campaign)
    if request.method == "POST" and not missing and form.is_valid():
        domain.publish_texts(campaign=campaign, by=request.user)
        return redirect("console:campaign", slug)
    diffs = setup.draft_diffs(campaign)
    context = {
        "campaign": campaign,
        "form": form,
        "missing": missing,
        "diffs": diffs,
        "differs": any(diff.changed for diff in diffs),
        "is_public": campaign.status != Campaign.Status.DRAFT,
    }
    refused = form.errors or (request.method == "POST" and missing)
    return render(request, "console/publish.html", context, status=400 if refused else 200)


@verified_member_required
def status(request, slug):
    """The next step of the lifecycle, explained, and confirmed on its own page."""
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    target = NEXT_STATUS.get(campaign.status)
    form = ConfirmForm(request.POST or None)
    problem = ""
    if request.method == "POST" and target and form.is_valid():
        try:
            domain.move_campaign(campaign=campaign, to=target, by=request.user)
        except StatusError:
            problem = _(
                "La campagne ne peut pas encore passer à cette étape : il lui faut une clé "
                "publique et des textes publiés."
            )
        else:
            return redirect("console:campaign", slug)
    context = {
        "campaign": campaign,
        "target": target,
        "target_label": Campaign.Status(target).label if target else "",
        "form": form,
        "problem": problem,
        "has_key": public_key_is_valid(campaign.public_key),
        "has_texts": published_texts(campaign) is not None,
    }
    status_code = 400 if form.errors or problem else 200
    return render(request, "console/status.html", context, status=status_code)


def _entries_view(request, slug, *, step, formset_class, queryset_of, template, title):
    """The FAQ or the timeline of a campaign: every entry on one page, added, changed or
    deleted together; live on the public page within a minute (its cache)."""
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    formset = formset_class(
        request.POST or None,
        queryset=queryset_of(campaign),
        prefix="entries",
        initial=[{"language": campaign.language}],
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for entry in formset.save(commit=False):
                entry.campaign = campaign
                entry.save()
            for entry in formset.deleted_objects:
                entry.delete()
            domain.record_change(campaign=campaign, step=step, by=request.user)
        return redirect(f"console:{step}", slug)
    errors = any(formset.errors) or formset.non_form_errors()
    context = {"campaign": campaign, "formset": formset, "title": title, "step": step}
    return render(request, template, context, status=400 if errors else 200)


@verified_member_required
def faq(request, slug):
    return _entries_view(
        request, slug, step="faq", formset_class=QuestionFormSet,
        queryset_of=lambda campaign: campaign.questions.all(),
        template="console/entries.html", title=_("Questions fréquentes"),
    )  # fmt: skip


@verified_member_required
def timeline(request, slug):
    return _entries_view(
        request, slug, step="timeline", formset_class=TimelineFormSet,
        queryset_of=lambda campaign: campaign.timeline.all(),
        template="console/entries.html", title=_("Chronologie de l'affaire"),
    )  # fmt: skip


@verified_member_required
def identity(request, slug):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    form = IdentityForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        domain.set_identity(campaign=campaign, data=form.cleaned_data, by=request.user)
        return redirect("console:identity", slug)
    context = {
        "campaign": campaign,
        "form": form,
        "logo": picture_sources(campaign.organisation.logo, "10rem"),
        "hero": picture_sources(campaign.hero, "40rem"),
    }
    return render(request, "console/identity.html", context, status=400 if form.errors else 200)
