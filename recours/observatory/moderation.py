"""What moderators do with what the public sends: a lead becomes a claim with its
evidence, an answer to a document request becomes evidence. Each step is one transaction
and leaves a line in the claim's history."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from recours.observatory.domain import create_claim, update_claim
from recours.observatory.models import Claim, DocumentRequest, Evidence, Lead


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
        claim = create_claim(claim=Claim(**claim_fields), by=by, origin=f"lead {lead.pk}")
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
            _forget_attachment(lead)  # the evidence holds the copy
        lead.status, lead.claim = Lead.Status.ACCEPTED, claim
        lead.place = lead.place or claim.place
        lead.save(update_fields=["status", "claim", "place", "attachment"])
    return claim


def reject_lead(lead: Lead, note: str = "") -> None:
    """Sets a new lead aside. Its document and the sender's address go with it: nothing
    will be done with them, so nothing of them is kept (the document's SHA-256 stays,
    to recognise it if it is sent again)."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.status != Lead.Status.NEW:
            return
        _forget_attachment(lead)
        lead.status, lead.moderator_note, lead.contact = Lead.Status.REJECTED, note, ""
        lead.save(update_fields=["status", "moderator_note", "contact_sealed", "attachment"])


def _forget_attachment(lead: Lead) -> None:
    """Clears the lead's document, and deletes its file once the change is committed
    (a file deleted before a rollback could not be brought back)."""
    if lead.attachment:
        storage, name = lead.attachment.storage, lead.attachment.name
        transaction.on_commit(lambda: storage.delete(name))
        lead.attachment = ""


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
        if ranks.index(claim.confidence) < ranks.index(Claim.Confidence.DOCUMENT_REQUEST):
            update_claim(
                claim=claim, changes={"confidence": Claim.Confidence.DOCUMENT_REQUEST}, by=by
            )
    return evidence
