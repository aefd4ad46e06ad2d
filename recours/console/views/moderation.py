"""The observatory's moderation, for moderators: the leads queue, claims and their
sources, document requests (CADA) and their answers. Every write goes through the
observatory's domain functions, the same ones the API uses, so a claim's history reads
the same whoever changed it."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from recours.console.access import (
    moderating_organisation,
    require_moderator,
    verified_member_required,
)
from recours.console.activity import record_activity
from recours.console.moderation_forms import (
    AnswerAsEvidenceForm,
    ClaimForm,
    DocumentRequestForm,
    EvidenceForm,
    RejectForm,
)
from recours.observatory.domain import ClaimError, save_evidence, update_claim
from recours.observatory.models import Claim, DocumentRequest, Evidence, Lead, Place
from recours.observatory.moderation import answer_as_evidence, claim_from_lead, reject_lead
from recours.observatory.place_search import search_places

PAGE = 30
SEARCHING = ("search_place", "search_vendor")


def _log(user, action: str, subject: str, **details) -> None:
    organisation = moderating_organisation(user)
    if organisation is not None:
        record_activity(
            organisation=organisation, actor=user, action=action, subject=subject, details=details
        )


def _saving(request) -> bool:
    return request.method == "POST" and not any(name in request.POST for name in SEARCHING)


def _claim_form(request, *, initial=None, instance=None) -> ClaimForm:
    """The claim form as posted; after a search, shown again with what was typed and
    what the search found, without complaining about fields not filled in yet."""
    if request.method == "POST" and "technology" in request.POST and _saving(request):
        return ClaimForm(request.POST, initial=initial, instance=instance)
    if request.method == "POST" and "technology" in request.POST:
        typed = {name: value for name, value in request.POST.items() if value}
        return ClaimForm(initial=(initial or {}) | typed, instance=instance)
    return ClaimForm(initial=initial, instance=instance)


@verified_member_required
def leads(request):
    require_moderator(request.user)
    status = request.GET.get("statut", Lead.Status.NEW)
    if status not in Lead.Status.values:
        status = Lead.Status.NEW
    rows = (
        Lead.objects.filter(status=status).select_related("place").order_by("-received_on", "-pk")
    )
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/leads.html",
        {"page": page, "status": status, "statuses": Lead.Status.choices},
    )


@verified_member_required
def lead(request, pk):
    """A lead, and the claim it becomes: the place is found by search (pre-filled with
    what the sender typed), the source comes from the lead."""
    require_moderator(request.user)
    lead = get_object_or_404(Lead.objects.select_related("place", "claim"), pk=pk)
    initial = {
        "place": lead.place_id,
        "place_query": "" if lead.place_id else lead.place_text,
        "technology": lead.technology,
        "summary": lead.description,
        "confidence": Claim.Confidence.RUMOUR,
    }
    form = _claim_form(request, initial=initial)
    reject = RejectForm(request.POST if "reject" in request.POST else None)
    problem = ""
    if lead.status == Lead.Status.NEW and request.method == "POST":
        if reject.is_bound and reject.is_valid():
            with transaction.atomic():
                reject_lead(lead, reject.cleaned_data["note"])
                _log(request.user, "lead.rejected", lead.place_text, lead=lead.pk)
            return redirect("console:leads")
        if form.is_bound and form.is_valid():
            fields = {
                name: value
                for name, value in form.cleaned_data.items()
                if name not in ("place_query", "vendor_query")
            }
            try:
                with transaction.atomic():
                    claim = claim_from_lead(lead, by=request.user.username, **fields)
                    _log(
                        request.user,
                        "lead.accepted",
                        str(claim.place),
                        lead=lead.pk,
                        claim=claim.pk,
                    )
            except (ValueError, ClaimError) as error:
                problem = str(error)
            else:
                return redirect("console:claim", claim.pk)
    context = {"lead": lead, "form": form, "reject": reject, "problem": problem}
    bad = form.errors or reject.errors or problem
    return render(request, "console/lead.html", context, status=400 if bad else 200)


@verified_member_required
def lead_attachment(request, pk):
    require_moderator(request.user)
    lead = get_object_or_404(Lead, pk=pk)
    if not lead.attachment:
        raise Http404
    # A download of a neutral type: a moderator's browser must not run what an
    # anonymous sender uploaded.
    response = FileResponse(
        lead.attachment.open("rb"), as_attachment=True, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@verified_member_required
def claims(request):
    require_moderator(request.user)
    query = request.GET.get("lieu", "").strip()[:100]
    rows = Claim.objects.select_related("place", "vendor").order_by("-updated_at")
    if query:
        rows = rows.filter(place__in=search_places(Place.objects.all(), query).values("pk")[:50])
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "console/claims.html", {"page": page, "query": query})


@verified_member_required
def claim(request, pk):
    require_moderator(request.user)
    claim = get_object_or_404(Claim.objects.select_related("place", "vendor"), pk=pk)
    form = _claim_form(request, instance=claim)
    evidence = EvidenceForm(request.POST if "kind" in request.POST else None)
    problem = ""
    if request.method == "POST":
        if form.is_bound and form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in form.Meta.fields
            }
            try:
                with transaction.atomic():
                    update_claim(
                        claim=Claim.objects.get(pk=pk), changes=changes, by=request.user.username
                    )
                    _log(
                        request.user,
                        "claim.changed",
                        str(claim.place),
                        claim=pk,
                        fields=sorted(changes),
                    )
            except ClaimError as error:
                problem = str(error)
            else:
                return redirect("console:claim", pk)
        elif evidence.is_bound and evidence.is_valid():
            with transaction.atomic():
                save_evidence(
                    evidence=Evidence(claim=claim, **evidence.cleaned_data),
                    by=request.user.username,
                )
                _log(request.user, "claim.changed", str(claim.place), claim=pk, fields=["evidence"])
            return redirect("console:claim", pk)
    context = {
        "claim": claim,
        "form": form,
        "evidence": evidence,
        "problem": problem,
        "sources": claim.evidence.order_by("-published_on", "pk"),
        "history": claim.changes.order_by("-changed_at")[:50],
    }
    bad = form.errors or evidence.errors or problem
    return render(request, "console/claim.html", context, status=400 if bad else 200)


@verified_member_required
def document_requests(request):
    require_moderator(request.user)
    rows = DocumentRequest.objects.select_related("place", "claim").order_by("-sent_on", "-pk")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "console/document_requests.html", {"page": page})


@verified_member_required
def document_request(request, pk):
    require_moderator(request.user)
    item = get_object_or_404(DocumentRequest.objects.select_related("place", "claim"), pk=pk)
    form = DocumentRequestForm(
        request.POST if "status" in request.POST else None,
        request.FILES or None,
        instance=item,
    )
    file_as = AnswerAsEvidenceForm(
        request.POST if "file_answer" in request.POST else None, place=item.place
    )
    problem = ""
    if request.method == "POST":
        if form.is_bound and form.is_valid():
            with transaction.atomic():
                form.save()
                _log(
                    request.user,
                    "claim.changed",
                    str(item.place),
                    request=pk,
                    fields=form.changed_data,
                )
            return redirect("console:document_request", pk)
        if file_as.is_bound and file_as.is_valid():
            try:
                with transaction.atomic():
                    answer_as_evidence(
                        item, file_as.cleaned_data["claim"], by=request.user.username
                    )
                    _log(request.user, "request.answered", str(item.place), request=pk)
            except ValueError:
                problem = _("Cette demande n'a pas encore de réponse jointe.")
            else:
                return redirect("console:claim", file_as.cleaned_data["claim"].pk)
    context = {"item": item, "form": form, "file_as": file_as, "problem": problem}
    bad = form.errors or file_as.errors or problem
    return render(request, "console/document_request.html", context, status=400 if bad else 200)
