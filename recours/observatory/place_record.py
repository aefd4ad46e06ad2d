"""What a place's page shows, gathered in a few queries: a commune's own record and what
is decided above it (its intercommunalité, département, région); a wider place's record
with its communes'."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count
from django.urls import reverse

from recours.observatory import cada
from recours.observatory.measures import declared_cameras, known_cameras
from recours.observatory.models import Claim, DocumentRequest, Funding, ImportRun, OsmCamera, Place
from recours.observatory.names import normalised
from recours.observatory.opendata import camera_layer

# A région's page lists at most this many claims; the downloads hold them all.
CLAIMS_SHOWN = 100


@dataclass
class PlaceRecord:
    place: Place
    claims: list[Claim]
    claims_total: int
    wider: list[Claim]  # decided above a commune
    funding: list[Funding]
    declared: int  # cameras documents declare
    camera_types: list[dict]
    children: list[tuple[str, str, int]]  # (address, name, cameras)
    camera_layer: ImportRun | None  # the OpenStreetMap import: its date and licence
    requests: list[tuple[DocumentRequest, list]] = field(default_factory=list)

    @property
    def groups(self) -> list["CommuneGroup"]:
        """A département's communes by intercommunalité: a few dozen groups to open, not
        a wall of 300 links."""
        if self.place.kind != Place.Kind.DEPARTEMENT:
            return []
        return group_by_epci(self.children)

    @property
    def wide(self) -> bool:
        return self.place.kind != Place.Kind.COMMUNE

    @property
    def cameras(self) -> int:
        return self.place.camera_count

    @property
    def cameras_per_1000(self) -> float | None:
        if not self.place.population:
            return None
        return known_cameras(self.cameras, self.declared) * 1000 / self.place.population

    @property
    def funding_total(self):
        return sum(row.amount_eur for row in self.funding)

    @property
    def vendors(self):
        return sorted({c.vendor for c in self.claims if c.vendor_id}, key=lambda v: v.name)

    @property
    def last_claim(self) -> datetime | None:
        return max((claim.updated_at for claim in self.claims), default=None)


def _claims():
    return Claim.objects.for_display().order_by("technology", "-updated_at")


def record_of(place: Place, *, today: date) -> PlaceRecord:
    claims = _claims().filter(place.within())
    wider = []
    if place.kind == Place.Kind.COMMUNE:
        above = [place.epci_id, place.parent_id, place.parent.parent_id if place.parent else None]
        wider = list(_claims().filter(place__in=[pk for pk in above if pk]))
    camera_types = []
    if place.kind == Place.Kind.COMMUNE and place.camera_count:
        camera_types = list(
            OsmCamera.objects.filter(commune=place)
            .values("camera_type")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
    return PlaceRecord(
        place=place,
        claims=list(claims[:CLAIMS_SHOWN]),
        claims_total=claims.count(),
        wider=wider,
        funding=list(
            Funding.objects.filter(place.within())
            .select_related("place")
            .order_by("-year", "programme")
        ),
        declared=declared_cameras(place),
        camera_types=camera_types,
        children=_children(place),
        camera_layer=camera_layer() if place.camera_count else None,
        requests=[
            (request, cada.deadlines(request, today=today))
            for request in place.document_requests.all()
        ],
    )


@dataclass
class CommuneGroup:
    name: str  # the intercommunalité's, or "" for communes in none
    url: str
    communes: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def cameras(self) -> int:
        return sum(cameras for _url, _name, cameras in self.communes)


def group_by_epci(children: list[tuple]) -> list[CommuneGroup]:
    groups: dict[str, CommuneGroup] = {}
    for url, name, cameras, epci_name, epci_url in children:
        group = groups.setdefault(epci_name, CommuneGroup(epci_name, epci_url))
        group.communes.append((url, name, cameras))
    # Intercommunalités by name, then the communes that belong to none.
    return sorted(groups.values(), key=lambda group: (not group.name, normalised(group.name)))


def _children(place: Place) -> list[tuple[str, str, int]]:
    """What a wider place lists: an intercommunalité or a département its communes, a
    région its départements. Plain tuples with one reverse(): a département lists up to
    900 communes, and model instances with a reverse() each took most of the page's
    time."""
    if place.kind == Place.Kind.COMMUNE:
        return []
    related = place.member_communes if place.kind == Place.Kind.EPCI else place.children
    pattern = {}
    children = []
    # By name as French lists sort them, without the article ("Le Havre" under H).
    for kind, code, name, cameras, epci_code, epci_name in (
        related.filter(merged_into=None)
        .order_by("search_name")
        .values_list("kind", "code", "name", "camera_count", "epci__code", "epci__name")
    ):
        for key in (kind, Place.Kind.EPCI):
            if key not in pattern:
                pattern[key] = reverse("observatory:place", args=[key, "CODE"])
        url = pattern[kind].replace("CODE", code)
        if place.kind == Place.Kind.DEPARTEMENT:
            epci_url = pattern[Place.Kind.EPCI].replace("CODE", epci_code) if epci_code else ""
            children.append((url, name, cameras, epci_name or "", epci_url))
        else:
            children.append((url, name, cameras))
    return children
