"""Paper mandates received by post, typed in by an organiser with their scan. The page
lists no one: what was entered is sealed, and only the dossier opens it."""

from django.db import transaction
from django.shortcuts import redirect, render

from recours.console.access import CAN_EDIT, campaign_for, verified_member_required
from recours.console.activity import record_activity
from recours.console.forms import PaperMandateForm
from recours.mandates import paper
from recours.mandates.identity import SignerIdentity


@verified_member_required
def paper_mandates(request, slug):
    campaign = campaign_for(request.user, slug, CAN_EDIT)
    form = PaperMandateForm(
        request.POST or None,
        request.FILES or None,
        campaign=campaign,
        pairs=paper.texts_in_force(campaign),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                mandate = paper.record_paper_mandate(
                    campaign=campaign,
                    identity=SignerIdentity(
                        given_names=data["given_names"],
                        surname=data["surname"],
                        email=data["email"],
                        postal_address=data["postal_address"],
                    ),
                    texts=data["texts"],
                    signed_on=data["signed_on"],
                    scan=data["scan"],
                    language=data["language"],
                )
                record_activity(
                    organisation=campaign.organisation,
                    actor=request.user,
                    action="paper.entered",
                    subject=campaign.title,
                    campaign=campaign,
                    details={"log_position": mandate.log_position},
                )
        except paper.PaperError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            return redirect(f"{request.path}?enregistre={mandate.log_position}#resultat")
    context = {
        "campaign": campaign,
        "form": form,
        "count": paper.paper_count(campaign),
        "accepting": campaign.status in paper.ENTRY_STATUSES and bool(campaign.public_key),
        "entered": request.GET.get("enregistre", "")[:12] if request.method == "GET" else "",
    }
    return render(request, "console/paper.html", context, status=400 if form.errors else 200)
