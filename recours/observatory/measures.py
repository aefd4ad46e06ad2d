"""The measures a map or a table colours communes by. Each is computed from the record in
a few grouped queries, never per commune: the national map asks for all 35,000."""

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recours.observatory.models import Claim, Funding, ImportRun, Place

# Statuses under which a deployment is, or is about to be, watching people.
ACTIVE = [Claim.Status.ANNOUNCED, Claim.Status.TRIAL, Claim.Status.IN_SERVICE]

MEASURES = {
    "cameras": _("Caméras connues pour 1 000 habitants"),
    "fipd": _("Euros du FIPD par habitant"),
    "vsa": _("Vidéosurveillance algorithmique"),
}
# A rate per inhabitant over a few hundred people says nothing: one camera in a village of
# 80 would rank above Paris. The communes "en tête" for a rate are those of this size.
RANKED_POPULATION = 10_000
PER_INHABITANT = {"cameras", "fipd"}


def _owner():
    """A record filed under a commune merged into a commune nouvelle counts for the new
    commune."""
    return Coalesce(F("place__merged_into_id"), F("place_id"))


def fipd_by_place() -> dict[int, Decimal]:
    rows = (
        Funding.objects.filter(programme=Funding.Programme.FIPD)
        .annotate(owner=_owner())
        .values("owner")
        .annotate(total=Sum("amount_eur"))
        .order_by()
    )
    return {row["owner"]: row["total"] for row in rows}


def declared_cameras_by_place() -> dict[int, int]:
    """The number of cameras official documents or the press give, per place: the largest
    such figure, not their sum, since documents about one city overlap (Paris's two 2019
    annexes list many of the same cameras)."""
    rows = (
        _declaring(Claim.objects.all())
        .annotate(owner=_owner())
        .values("owner")
        .annotate(most=Max("quantity"))
        .order_by()
    )
    return {row["owner"]: row["most"] for row in rows}


def declared_cameras(place: Place) -> int:
    """The same figure for one place: a commune's (with the communes merged into it), or
    what documents declare for a wider place as a whole."""
    claims = Claim.objects.filter(
        place.within() if place.kind == Place.Kind.COMMUNE else Q(place=place)
    )
    return _declaring(claims).aggregate(most=Max("quantity"))["most"] or 0


def _declaring(claims):
    return claims.filter(technology=Claim.Technology.CCTV, status__in=ACTIVE).exclude(quantity=None)


def known_cameras(mapped: int, declared: int | None) -> int:
    """Cameras known at a place: what OpenStreetMap maps or what documents declare,
    whichever is more (each is a minimum)."""
    return max(mapped, declared or 0)


def vsa_places() -> set[int]:
    return set(
        Claim.objects.filter(technology=Claim.Technology.VSA, status__in=ACTIVE)
        .annotate(owner=_owner())
        .values_list("owner", flat=True)
    )


def technologies_by_place() -> dict[int, set[str]]:
    found = defaultdict(set)
    for owner, technology in (
        Claim.objects.exclude(status__in=[Claim.Status.ENDED, Claim.Status.STRUCK_DOWN])
        .annotate(owner=_owner())
        .values_list("owner", "technology")
    ):
        found[owner].add(technology)
    return found


def per_inhabitant(amount, population) -> float | None:
    if not population or amount is None:
        return None
    return float(amount) / population


def record_version() -> str:
    """Changes whenever anything the measures or the map read changes: an import, a claim
    or a funding row added, edited or removed. Cached answers are keyed on it."""
    claims = Claim.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
    funding = Funding.objects.aggregate(n=Count("pk"), top=Max("pk"))
    last_import = ImportRun.objects.aggregate(top=Max("pk"))["top"]
    state = f"{last_import} {claims} {funding}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def places_version() -> str:
    """Changes when the communes do: only an import of places changes them."""
    last_import = ImportRun.objects.filter(kind="places").aggregate(top=Max("pk"))["top"]
    communes = Place.objects.filter(kind=Place.Kind.COMMUNE).aggregate(n=Count("pk"), top=Max("pk"))
    state = f"{last_import} {communes}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def commune_rows(*, order: str = "cameras", department: Place | None = None) -> "RowList":
    """Communes with their measures, for the table that stands in for the map: those
    that have something recorded, most first. Computed over every commune, so kept in
    the cache until the record changes, as plain tuples (35,000 objects, named tuples
    included, would cost more to unpickle from the cache than to compute)."""
    key = f"observatory:rows:{order}:{department.pk if department else ''}:{record_version()}"
    rows = cache.get(key)
    if rows is None:
        rows = [tuple(row) for row in _commune_rows(order, department)]
        cache.set(key, rows, 3600)
    return RowList(rows)


def top_communes(*, order: str = "cameras", count: int = 20) -> list["CommuneRow"]:
    """The first rows of the table, for the index: kept apart, so that the index does not
    unpickle the whole table from the cache to show twenty rows."""
    key = f"observatory:top:{order}:{count}:{record_version()}"
    rows = cache.get(key)
    if rows is None:
        ranked = commune_rows(order=order).data
        if order in PER_INHABITANT:
            population = CommuneRow._fields.index("population")  # rows are plain tuples
            ranked = [row for row in ranked if (row[population] or 0) >= RANKED_POPULATION]
        rows = ranked[:count]
        cache.set(key, rows, 3600)
    return [CommuneRow._make(row) for row in rows]


class RowList(Sequence):
    """The cached tuples, turned into rows only for the slice a page shows."""

    def __init__(self, data: list[tuple]):
        self.data = data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [CommuneRow._make(item) for item in self.data[index]]
        return CommuneRow._make(self.data[index])


class CommuneRow(NamedTuple):
    kind: str
    code: str
    name: str
    population: int | None
    cameras: int
    # Where `cameras` comes from: "osm" (the OpenStreetMap layer) or "declared" (what a
    # document or the press declares, when it is more).
    cameras_source: str
    cameras_per_1000: float | None
    fipd: Decimal | None
    fipd_per_inhabitant: float | None
    vsa: bool

    def get_absolute_url(self):
        return reverse("observatory:place", args=[self.kind, self.code])


class Recorded(NamedTuple):
    """What the record says per place (by the id of the place it counts for), read in
    three grouped queries."""

    fipd: dict[int, Decimal]
    vsa: set[int]
    declared_cameras: dict[int, int]

    @classmethod
    def read(cls) -> "Recorded":
        return cls(fipd_by_place(), vsa_places(), declared_cameras_by_place())

    def places(self) -> set[int]:
        return set(self.fipd) | self.vsa | set(self.declared_cameras)

    def commune_row(self, pk, code, name, population, mapped_cameras) -> CommuneRow:
        cameras = known_cameras(mapped_cameras, self.declared_cameras.get(pk))
        source = "osm" if cameras == mapped_cameras else "declared"
        fipd = self.fipd.get(pk)
        return CommuneRow(
            Place.Kind.COMMUNE, code, name, population, cameras, source,
            cameras * 1000 / population if population else None,
            fipd, per_inhabitant(fipd, population), pk in self.vsa,
        )  # fmt: skip


def _commune_rows(order: str, department: Place | None) -> list[CommuneRow]:
    recorded = Recorded.read()
    communes = Place.objects.filter(kind=Place.Kind.COMMUNE, merged_into=None)
    if department is not None:
        communes = communes.filter(parent=department)
    rows = [
        recorded.commune_row(*values)
        for values in communes.filter(Q(camera_count__gt=0) | Q(pk__in=recorded.places()))
        .values_list("pk", "code", "name", "population", "camera_count")
        .iterator(5000)
    ]
    key = {
        "cameras": lambda row: (row.cameras_per_1000 or 0, row.cameras),
        "fipd": lambda row: (row.fipd_per_inhabitant or 0, row.fipd or 0),
        "vsa": lambda row: (row.vsa, row.cameras),
    }[order]
    rows.sort(key=key, reverse=True)
    return rows


def headline_totals() -> dict:
    """The index's headline figures, kept until the record changes (summing 35,000
    communes' counts reads the whole places table)."""
    key = f"observatory:totals:{record_version()}"
    totals = cache.get(key)
    if totals is None:
        totals = _count_totals()
        cache.set(key, totals, 3600)
    return totals


def _count_totals() -> dict:
    return {
        "claims": Claim.objects.count(),
        # The stored counts: counting a million camera rows costs a tenth of a second.
        "cameras": Place.objects.filter(kind=Place.Kind.COMMUNE).aggregate(
            total=Sum("camera_count")
        )["total"]
        or 0,
        "places": Claim.objects.values("place").distinct().count(),
        "fipd": Funding.objects.filter(programme=Funding.Programme.FIPD).aggregate(
            total=Sum("amount_eur")
        )["total"],
    }
