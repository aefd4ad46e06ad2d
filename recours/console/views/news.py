"""News to the signers who asked for it: write, preview, see who will receive it (a
number), send through the outbox once; and the history of what was sent."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from recours.console import domain
from recours.console.access import CAN_EDIT, campaign_for, verified_member_required
from recours.console.forms import ConfirmForm, NewsForm
from recours.core.text import render_markdown
from recours.mandates.models import Mandate, SignerUpdate
from recours.mandates.updates import UpdateAlreadySent


def recipients(campaign) -> int:
    return Mandate.objects.filter(
        campaign=campaign, status=Mandate.Status.CONFIRMED, contact_sealed__isnull=False
    ).count()


@verified_member_required
def news_list(request, slug):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        update = form.save(commit=False)
        update.campaign = campaign
        update.save()
        return redirect("console:news", slug, update.pk)
    context = {
        "campaign": campaign,
        "form": form,
        "updates": SignerUpdate.objects.filter(campaign=campaign).order_by("-created_at"),
    }
    return render(request, "console/news_list.html", context, status=400 if form.errors else 200)


@verified_member_required
def news(request, slug, pk):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    update = get_object_or_404(SignerUpdate, pk=pk, campaign=campaign)
    sent = update.queued_at is not None
    edit = NewsForm(request.POST if "subject" in request.POST else None, instance=update)
    confirm = ConfirmForm(request.POST if "send" in request.POST else None)
    problem = ""
    if request.method == "POST" and not sent:
        if edit.is_bound and edit.is_valid():
            edit.save()
            return redirect("console:news", slug, pk)
        if confirm.is_bound and confirm.is_valid():
            try:
                domain.send_news(update=update, by=request.user)
            except UpdateAlreadySent:
                problem = _("Cette nouvelle est déjà partie.")
            else:
                return redirect("console:news", slug, pk)
    context = {
        "campaign": campaign,
        "update": update,
        "sent": sent,
        "edit": edit,
        "confirm": confirm,
        "problem": problem,
        "body_html": render_markdown(update.body),
        "recipients": recipients(campaign) if not sent else update.recipients,
    }
    errors = edit.errors or confirm.errors or problem
    return render(request, "console/news.html", context, status=400 if errors else 200)
