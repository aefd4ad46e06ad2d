"""The observatory's read-only JSON API, with its OpenAPI schema at
/api/observatoire/openapi.json. Paginated, cacheable, no interactive docs (they would
load scripts from a CDN). Writes are for moderators with a token (api_writes.py)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.parser import Parser

from recours.observatory import api_writes
from recours.observatory.api_fields import path_code, text
from recours.observatory.models import Claim, Evidence, Funding, OsmCamera, Place
from recours.observatory.place_search import search_places


class ObjectBodies(Parser):
    """A write's body is one JSON object. django-ninja reads an empty array as no body at
    all, so a PATCH (every field optional) answered 200 to `[]` and changed nothing:
    found by Schemathesis on CI. A failure here is django-ninja's 400."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


api = NinjaAPI(
    parser=ObjectBodies(),
    title="Recours · observatoire",
    version="1",
    description="Places, claims with their evidence, and the OpenStreetMap camera layer "
    "(© OpenStreetMap contributors, ODbL 1.0).",
    urls_namespace="observatory-api",
    docs_url=None,
)
cacheable = decorate_view(cache_control(public=True, max_age=300))


# Refusals are part of the contract: parameters that do not validate get 422 with the
# reason, an unknown place 404.
class Pages(LimitOffsetPagination):
    """Bounded pages: an offset past any table we could hold is refused with 422, not
    sent to the database (SQLite and PostgreSQL both fail on such integers)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=10_000_000)


REFUSALS = {"responses": {"422": {"description": "Invalid parameters; the answer says which."}}}
NOT_FOUND = {"responses": {**REFUSALS["responses"], "404": {"description": "No such place."}}}


class PlaceOut(Schema):
    kind: str
    code: str
    name: str
    population: int | None
    postcodes: str
    parent_code: str | None
    epci_code: str | None
    merged_into_code: str | None

    @staticmethod
    def resolve_parent_code(place) -> str | None:
        return place.parent.code if place.parent_id else None

    @staticmethod
    def resolve_epci_code(place) -> str | None:
        return place.epci.code if place.epci_id else None

    @staticmethod
    def resolve_merged_into_code(place) -> str | None:
        return place.merged_into.code if place.merged_into_id else None


class EvidenceOut(Schema):
    kind: str
    title: str
    publisher: str
    url: str


class ClaimOut(Schema):
    id: int
    place_code: str
    technology: str
    vendor: str | None
    status: str
    confidence: str
    quantity: int | None
    summary: str
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_place_code(claim) -> str:
        return claim.place.code

    @staticmethod
    def resolve_vendor(claim) -> str | None:
        return claim.vendor.name if claim.vendor_id else None

    @staticmethod
    def resolve_evidence(claim) -> list[Evidence]:
        return list(claim.evidence.all())


class PlaceDetailOut(PlaceOut):
    osm_cameras: int
    claims: list[ClaimOut]

    @staticmethod
    def resolve_osm_cameras(place) -> int:
        return place.camera_count

    @staticmethod
    def resolve_claims(place) -> list[Claim]:
        # Claims filed under a commune merged into this one show here too.
        return list(_claims().filter(Q(place=place) | Q(place__merged_into=place)))


def _places():
    """Places with the codes of their parent, intercommunalité and commune nouvelle."""
    return Place.objects.without_outlines("parent", "epci", "merged_into")


class CameraOut(Schema):
    osm_type: str
    osm_id: int
    lon: float
    lat: float
    surveillance_type: str
    camera_type: str
    directions: list
    commune_code: str | None

    @staticmethod
    def resolve_commune_code(camera) -> str | None:
        return camera.commune.code if camera.commune_id else None


class PlaceFilter(Schema):
    q: str = text("", max_length=200)
    kind: Place.Kind | None = None


class BBox(Schema):
    min_lon: float = -180
    min_lat: float = -90
    max_lon: float = 180
    max_lat: float = 90


@api.get("/places", response=list[PlaceOut], tags=["places"], openapi_extra=REFUSALS)
@cacheable
@paginate(Pages)
def list_places(request, filters: Query[PlaceFilter]):
    places = _places().order_by("kind", "code")
    if filters.kind:
        places = places.filter(kind=filters.kind)
    if filters.q:
        places = search_places(places, filters.q)
    return places


@api.get("/places/{kind}/{code}", response=PlaceDetailOut, tags=["places"], openapi_extra=NOT_FOUND)
@cacheable
def place_detail(request, kind: Place.Kind, code: str = path_code()):
    return get_object_or_404(_places(), kind=kind, code=code)


def _claims():
    return Claim.objects.select_related("place", "vendor").prefetch_related("evidence")


@api.get("/claims", response=list[ClaimOut], tags=["claims"], openapi_extra=REFUSALS)
@cacheable
@paginate(Pages)
def list_claims(request, technology: Claim.Technology | None = None):
    claims = _claims().order_by("pk")
    return claims.filter(technology=technology) if technology else claims


@api.get("/cameras", response=list[CameraOut], tags=["cameras"], openapi_extra=REFUSALS)
@cacheable
@paginate(Pages)
def list_cameras(request, bbox: Query[BBox]):
    """OpenStreetMap cameras inside a bounding box (ODbL 1.0)."""
    return (
        OsmCamera.objects.select_related("commune")
        .filter(
            lon__gte=bbox.min_lon,
            lon__lte=bbox.max_lon,
            lat__gte=bbox.min_lat,
            lat__lte=bbox.max_lat,
        )
        .order_by("pk")
    )


@api.get("/claims/{claim_id}", response=ClaimOut, tags=["claims"], openapi_extra=NOT_FOUND)
@cacheable
def claim_detail(request, claim_id: int):
    return get_object_or_404(_claims(), pk=claim_id)


class FundingOut(Schema):
    id: int
    place_code: str
    programme: str
    year: int
    amount_eur: str
    purpose: str
    evidence_url: str

    @staticmethod
    def resolve_place_code(funding) -> str:
        return funding.place.code

    @staticmethod
    def resolve_amount_eur(funding) -> str:
        return str(funding.amount_eur)


@api.get("/funding", response=list[FundingOut], tags=["funding"], openapi_extra=REFUSALS)
@cacheable
@paginate(Pages)
def list_funding(request, programme: Funding.Programme | None = None):
    rows = Funding.objects.select_related("place").order_by("pk")
    return rows.filter(programme=programme) if programme else rows


class StatsOut(Schema):
    places: int
    claims: int
    osm_cameras: int


@api.get("/stats", response=StatsOut, tags=["statistics"])
@cacheable
def stats(request):
    return {
        "places": Place.objects.count(),
        "claims": Claim.objects.count(),
        "osm_cameras": OsmCamera.objects.count(),
    }


api_writes.register(api)
