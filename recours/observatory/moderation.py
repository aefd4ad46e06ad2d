"""What moderators do with what the public sends: a lead becomes a claim with its
evidence, an answer to a document request becomes evidence. Each step is one transaction
and leaves a line in the claim's history."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from recours.observatory.models import Claim, ClaimChange, DocumentRequest, Evidence, Lead


def record_change(claim: Claim, changes: dict, by: str) -> None:
    if changes:
        ClaimChange.objects.create(claim=claim, changes=changes, by=by)


def _copy(field_file, name_hint: str) -> tuple[ContentFile, str]:
    with field_file.open("rb") as handle:
        content = handle.read()
    return ContentFile(content, name=name_hint), hashlib.sha256(content).hexdigest()


def claim_from_lead(lead: Lead, *, by: str, evidence_title: str = "", **claim_fields) -> Claim:
    """Creates the claim a lead documents, with the lead's source address and its
    attachment (copied, with its SHA-256) as evidence, and marks the lead accepted."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.status != Lead.Status.NEW:
            raise ValueError("this lead was already dealt with")
        claim = Claim.objects.create(**claim_fields)
        if lead.url:
            Evidence.objects.create(
                claim=claim, kind=Evidence.Kind.WEB_PAGE, title=evidence_title, url=lead.url
            )
        if lead.attachment:
            copy, digest = _copy(lead.attachment, lead.attachment.name.rsplit("/", 1)[-1])
            evidence = Evidence(
                claim=claim,
                kind=Evidence.Kind.DOCUMENT,
                title=evidence_title or lead.place_text,
                sha256=digest,
                notes="Document reçu par signalement",
            )
            evidence.copy.save(copy.name, copy, save=False)
            evidence.save()
        lead.status, lead.claim = Lead.Status.ACCEPTED, claim
        lead.place = lead.place or claim.place
        lead.save(update_fields=["status", "claim", "place"])
        record_change(claim, {"created": ["", f"lead {lead.pk}"]}, by)
    return claim


def reject_lead(lead: Lead, note: str = "") -> None:
    Lead.objects.filter(pk=lead.pk, status=Lead.Status.NEW).update(
        status=Lead.Status.REJECTED, moderator_note=note
    )


def answer_as_evidence(request: DocumentRequest, claim: Claim, *, by: str) -> Evidence:
    """Files the answer to a document request as evidence of a claim: the strongest kind
    of source short of a court decision."""
    if not request.answer:
        raise ValueError("this request has no answer attached")
    with transaction.atomic():
        copy, digest = _copy(request.answer, request.answer.name.rsplit("/", 1)[-1])
        evidence = Evidence(
            claim=claim,
            kind=Evidence.Kind.DOCUMENT_REQUEST,
            title=f"Réponse de {request.place.name} à la demande du {request.sent_on:%d/%m/%Y}",
            publisher=f"Mairie de {request.place.name}",
            published_on=request.answered_on,
            sha256=digest,
        )
        evidence.copy.save(copy.name, copy, save=False)
        evidence.save()
        request.claim = claim
        request.save(update_fields=["claim"])
        ranks = list(Claim.Confidence.values)  # from rumour up to a court's word
        before = claim.confidence
        if ranks.index(before) < ranks.index(Claim.Confidence.DOCUMENT_REQUEST):
            Claim.objects.filter(pk=claim.pk).update(confidence=Claim.Confidence.DOCUMENT_REQUEST)
            record_change(claim, {"confidence": [before, Claim.Confidence.DOCUMENT_REQUEST]}, by)
    return evidence
