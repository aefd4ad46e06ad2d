"""A campaign on the fediverse: its handle and how many follow it (never who), the
switch, and the deletion of its account."""

from django.db import transaction
from django.shortcuts import redirect, render

from recours.campaigns.models import Campaign
from recours.console.access import CAN_EDIT, campaign_for, verified_member_required
from recours.console.activity import record_activity
from recours.console.forms import ConfirmForm, FederationForm
from recours.federation.actors import Gone, campaign_actor, delete_actor
from recours.federation.documents import handle
from recours.federation.models import Activity, Actor


@verified_member_required
def federation(request, slug):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    switch = FederationForm(
        request.POST if "switch" in request.POST else None,
        initial={"federation": campaign.federation},
    )
    deletion = ConfirmForm(request.POST if "delete" in request.POST else None)
    actor = Actor.objects.filter(campaign=campaign).first()
    if request.method == "POST" and switch.is_bound and switch.is_valid():
        with transaction.atomic():
            campaign.federation = switch.cleaned_data["federation"]
            campaign.save(update_fields=["federation"])
            record_activity(
                organisation=campaign.organisation, actor=request.user,
                action="federation.switched", subject=campaign.title, campaign=campaign,
                details={"on": campaign.federation},
            )  # fmt: skip
        return redirect("console:federation", slug)
    if request.method == "POST" and deletion.is_bound and deletion.is_valid():
        if actor is not None and actor.deleted_at is None:
            with transaction.atomic():
                sent = delete_actor(actor)
                campaign.federation = False  # the pages stop showing its handle
                campaign.save(update_fields=["federation"])
                record_activity(
                    organisation=campaign.organisation, actor=request.user,
                    action="federation.deleted", subject=campaign.title, campaign=campaign,
                    details={"servers": sent},
                )  # fmt: skip
        return redirect("console:federation", slug)
    if actor is None and campaign.status != Campaign.Status.DRAFT:
        try:
            actor = campaign_actor(campaign)
        except Gone:
            pass
    context = {
        "campaign": campaign,
        "switch": switch,
        "deletion": deletion,
        "actor": actor,
        "handle": handle(campaign.slug),
        "followers": actor.followers.count() if actor else 0,
        "notes": Activity.objects.filter(actor=actor, kind=Activity.Kind.CREATE).count()
        if actor
        else 0,
    }
    errors = switch.errors or deletion.errors
    return render(request, "console/federation.html", context, status=400 if errors else 200)
