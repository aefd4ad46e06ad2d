"""The API's writes, for moderators only: a bearer token (manage.py create_api_token)
whose user may change claims. Every change to a claim is kept in its history, as in the
admin."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from recours.core.crypto import hash_token
from recours.observatory import domain
from recours.observatory.api_fields import WEB_ADDRESS, text
from recours.observatory.models import ApiToken, Claim, Evidence, Funding, Place, Vendor

WRITE_REFUSALS = {
    "responses": {
        "400": {"description": "The body is not a JSON object."},
        "401": {"description": "No valid token."},
        "403": {"description": "The token's user may not change the record."},
        "404": {"description": "No such place or claim."},
        "422": {"description": "Invalid data; the answer says which."},
    }
}


class ModeratorToken(HttpBearer):
    def authenticate(self, request, token):
        if not token or len(token) > 200:
            return None
        found = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        if not found.user.has_perm("observatory.change_claim"):
            raise HttpError(403, "this token's user may not change the observatory's record")
        today = timezone.localdate()
        if found.last_used_on != today:
            ApiToken.objects.filter(pk=found.pk).update(last_used_on=today)
        request.user = found.user
        return found.user


class PlaceRef(Schema):
    kind: Place.Kind
    code: str = text(..., max_length=12)


class ClaimIn(Schema):
    place: PlaceRef
    technology: Claim.Technology
    vendor: str | None = text(None, max_length=200)
    operator: Claim.Operator = Claim.Operator.UNKNOWN
    status: Claim.Status
    started_on: date | None = None
    ended_on: date | None = None
    quantity: int | None = Field(None, ge=0, le=10_000_000)
    confidence: Claim.Confidence
    summary: str = text("", max_length=10_000)


class ClaimPatch(Schema):
    vendor: str | None = text(None, max_length=200)
    operator: Claim.Operator | None = None
    status: Claim.Status | None = None
    started_on: date | None = None
    ended_on: date | None = None
    quantity: int | None = Field(None, ge=0, le=10_000_000)
    confidence: Claim.Confidence | None = None
    summary: str | None = text(None, max_length=10_000)


class EvidenceIn(Schema):
    # A Literal, not the model's enum: ninja names enums by class, and Place.Kind would
    # collide with Evidence.Kind in the schema.
    kind: Literal[tuple(Evidence.Kind.values)]
    title: str = text("", max_length=300)
    publisher: str = text("", max_length=200)
    published_on: date | None = None
    url: str = Field("", max_length=1000, pattern=WEB_ADDRESS)
    notes: str = text("", max_length=10_000)


class FundingIn(Schema):
    place: PlaceRef
    programme: Funding.Programme
    year: int = Field(..., ge=1990, le=2100)
    # A string, so that the schema says exactly what is accepted: "80000" or "80000.50".
    amount_eur: str = Field(..., pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$")
    purpose: str = text("", max_length=10_000)
    evidence_url: str = Field("", max_length=1000, pattern=WEB_ADDRESS)


class Created(Schema):
    id: int


def _place(ref: PlaceRef) -> Place:
    return get_object_or_404(Place.objects.only("pk"), kind=ref.kind, code=ref.code)


def _vendor(name: str | None) -> Vendor | None:
    name = (name or "").strip()
    return Vendor.objects.get_or_create(name=name)[0] if name else None


def _by(request) -> str:
    user = getattr(request, "auth", None) or AnonymousUser()
    return f"api:{user.get_username()}"


def create_claim(request, payload: ClaimIn):
    place = _place(payload.place)
    fields = payload.dict(exclude={"place", "vendor"})
    with transaction.atomic():
        claim = Claim(place=place, vendor=_vendor(payload.vendor), **fields)
        try:
            domain.create_claim(claim=claim, by=_by(request), origin="api")
        except domain.ClaimError as error:
            raise HttpError(422, str(error)) from None
    return Status(201, {"id": claim.pk})


def update_claim(request, claim_id: int, payload: ClaimPatch):
    claim = get_object_or_404(Claim.objects.only("pk"), pk=claim_id)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name in {"operator", "status", "confidence", "summary"}:
            raise HttpError(422, f"{name} cannot be emptied")
    with transaction.atomic():
        if "vendor" in changes:
            changes["vendor"] = _vendor(changes["vendor"])
        try:
            domain.update_claim(claim=claim, changes=changes, by=_by(request))
        except domain.ClaimError as error:
            raise HttpError(422, str(error)) from None
    return {"id": claim.pk}


def add_evidence(request, claim_id: int, payload: EvidenceIn):
    claim = get_object_or_404(Claim, pk=claim_id)
    evidence = Evidence(claim=claim, **payload.dict())
    domain.save_evidence(evidence=evidence, by=_by(request))
    return Status(201, {"id": evidence.pk})


def add_funding(request, payload: FundingIn):
    place = _place(payload.place)
    fields = payload.dict(exclude={"place"}) | {"amount_eur": Decimal(payload.amount_eur)}
    funding = domain.save_funding(funding=Funding(place=place, **fields))
    return Status(201, {"id": funding.pk})


def register(api: NinjaAPI) -> None:
    """Adds the writes beside the reads: a path has one route for all its methods."""
    api.post(
        "/claims",
        response={201: Created},
        auth=ModeratorToken(),
        openapi_extra=WRITE_REFUSALS,
        tags=["moderation"],
    )(create_claim)
    api.patch(
        "/claims/{claim_id}",
        response=Created,
        auth=ModeratorToken(),
        openapi_extra=WRITE_REFUSALS,
        tags=["moderation"],
    )(update_claim)
    api.post(
        "/claims/{claim_id}/evidence",
        response={201: Created},
        auth=ModeratorToken(),
        openapi_extra=WRITE_REFUSALS,
        tags=["moderation"],
    )(add_evidence)
    api.post(
        "/funding",
        response={201: Created},
        auth=ModeratorToken(),
        openapi_extra=WRITE_REFUSALS,
        tags=["moderation"],
    )(add_funding)
