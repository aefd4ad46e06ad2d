"""Open data: claims, funding and OpenStreetMap cameras as CSV and GeoJSON, nationally or
for one place, streamed row by row (the national camera file has a million rows).

Every row has a stable id and says its licence: the camera layer derives from
OpenStreetMap (ODbL 1.0, attribution required); the observatory's own record is under
OBSERVATORY_LICENCE (ODbL 1.0 by default), each claim with its sources."""

import csv
import json
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q

from recours.core.spreadsheet import safe_row
from recours.observatory.models import Claim, Funding, ImportRun, OsmCamera, Place

OSM_LICENCE = "ODbL-1.0 © OpenStreetMap contributors"


def camera_layer() -> ImportRun | None:
    """The import the camera layer comes from: its date and licence go wherever it does."""
    return ImportRun.objects.filter(kind="osm-cameras").order_by("-pk").first()


def camera_licence(layer: ImportRun | None = None) -> str:
    layer = layer or camera_layer()
    return (layer and layer.licence) or OSM_LICENCE


DATASETS = ("claims", "funding", "cameras")
FORMATS = ("csv", "geojson")
CHUNK = 5000


def record_licence() -> str:
    return settings.OBSERVATORY_LICENCE


def _in_place(place: Place | None, field: str) -> Q:
    return place.within(field) if place is not None else Q()


def _centre(place: Place) -> list[float] | None:
    if place.min_lon is None:
        return None
    return [
        round((place.min_lon + place.max_lon) / 2, 5),
        round((place.min_lat + place.max_lat) / 2, 5),
    ]


def _claim_rows(place: Place | None) -> Iterator[tuple[dict, list[float] | None]]:
    licence = record_licence()
    claims = (
        Claim.objects.filter(_in_place(place, "place"))
        .select_related("place", "vendor")
        .prefetch_related("evidence")
        .order_by("pk")
    )
    for claim in claims.iterator(CHUNK):
        yield (
            {
                "id": f"claim-{claim.pk}",
                "place_kind": claim.place.kind,
                "place_code": claim.place.code,
                "place_name": claim.place.name,
                "technology": claim.technology,
                "vendor": claim.vendor.name if claim.vendor_id else "",
                "operator": claim.operator,
                "status": claim.status,
                "started_on": claim.started_on.isoformat() if claim.started_on else "",
                "ended_on": claim.ended_on.isoformat() if claim.ended_on else "",
                "quantity": claim.quantity if claim.quantity is not None else "",
                "confidence": claim.confidence,
                "summary": claim.summary,
                "sources": " ".join(e.url for e in claim.evidence.all() if e.url),
                "updated_at": claim.updated_at.isoformat(),
                "licence": licence,
            },
            _centre(claim.place),
        )


def _funding_rows(place: Place | None):
    licence = record_licence()
    rows = Funding.objects.filter(_in_place(place, "place")).select_related("place")
    for funding in rows.order_by("pk").iterator(CHUNK):
        yield (
            {
                "id": f"funding-{funding.pk}",
                "place_kind": funding.place.kind,
                "place_code": funding.place.code,
                "place_name": funding.place.name,
                "programme": funding.programme,
                "year": funding.year,
                "amount_eur": str(funding.amount_eur),
                "purpose": funding.purpose,
                "source": funding.evidence_url,
                "licence": licence,
            },
            _centre(funding.place),
        )


def _camera_rows(place: Place | None):
    licence = camera_licence()
    rows = (
        OsmCamera.objects.filter(_in_place(place, "commune"))
        .order_by("pk")
        .values_list(
            "osm_type",
            "osm_id",
            "lon",
            "lat",
            "commune__code",
            "surveillance_type",
            "camera_type",
            "zone",
            "operator",
            "directions",
            "tags",
        )  # fmt: skip
    )
    for row in rows.iterator(CHUNK):
        osm_type, osm_id, lon, lat, commune, surveillance, camera, zone, operator, dirs, tags = row
        yield (
            {
                "id": f"{osm_type}/{osm_id}",
                "commune_code": commune or "",
                "lon": lon,
                "lat": lat,
                "surveillance_type": surveillance,
                "camera_type": camera,
                "zone": zone,
                "operator": operator,
                "directions": json.dumps(dirs),
                "tags": json.dumps(tags, ensure_ascii=False, sort_keys=True),
                "licence": licence,
            },
            [lon, lat],
        )


ROWS = {"claims": _claim_rows, "funding": _funding_rows, "cameras": _camera_rows}


class _Line:
    def write(self, value):
        return value


def as_csv(dataset: str, place: Place | None) -> Iterator[str]:
    writer = None
    out = _Line()
    for properties, _point in ROWS[dataset](place):
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(properties))
            yield writer.writeheader()
        yield writer.writerow(safe_row(properties))
    if writer is None:
        yield ",".join(HEADERS[dataset]) + "\r\n"


# The header of an empty file, so that a place with no rows still gets valid columns.
HEADERS = {
    "claims": ["id", "place_kind", "place_code", "place_name", "technology", "vendor",
               "operator", "status", "started_on", "ended_on", "quantity", "confidence",
               "summary", "sources", "updated_at", "licence"],
    "funding": ["id", "place_kind", "place_code", "place_name", "programme", "year",
                "amount_eur", "purpose", "source", "licence"],
    "cameras": ["id", "commune_code", "lon", "lat", "surveillance_type", "camera_type",
                "zone", "operator", "directions", "tags", "licence"],
}  # fmt: skip


def as_geojson(dataset: str, place: Place | None) -> Iterator[str]:
    licence = camera_licence() if dataset == "cameras" else record_licence()
    yield json.dumps({"type": "FeatureCollection", "licence": licence})[:-1] + ',"features":['
    first = True
    for properties, point in ROWS[dataset](place):
        feature = {
            "type": "Feature",
            "id": properties["id"],
            "geometry": {"type": "Point", "coordinates": point} if point else None,
            "properties": properties,
        }
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"
