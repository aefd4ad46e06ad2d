"""The map's data as GeoJSON text. Outlines are stored serialised and joined as text: at
the scale of France that is 35,000 communes, and parsing then re-serialising them would
cost most of the answer's time."""

import gzip
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from recours.observatory.measures import (
    Recorded,
    commune_rows,
    headline_totals,
    places_version,
    record_version,
    top_communes,
)
from recours.observatory.models import InventoryEntry, OsmCamera, Place

# Beyond this many points the map asks the visitor to zoom in rather than draw them.
MAX_CAMERAS = 5000
# A view narrower than this (in degrees of longitude) gets the detailed outlines.
DETAIL_SPAN = 1.0


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def parse(cls, text: str) -> "BBox":
        """ "min_lon,min_lat,max_lon,max_lat", as Leaflet's toBBoxString() writes it.
        Raises ValueError on anything else."""
        parts = [float(part) for part in text.split(",")]
        if len(parts) != 4:
            raise ValueError("four numbers expected")
        box = cls(*parts)
        if not (
            -180 <= box.min_lon <= box.max_lon <= 180 and -90 <= box.min_lat <= box.max_lat <= 90
        ):
            raise ValueError("not a bounding box")
        return box

    @property
    def span(self) -> float:
        return self.max_lon - self.min_lon


def communes_geojson(box: BBox) -> str:
    """Communes whose outline meets the box, detailed when the view is narrow, with their
    measures as properties."""
    recorded = Recorded.read()
    detailed = box.span <= DETAIL_SPAN
    rows = (
        Place.objects.filter(
            kind=Place.Kind.COMMUNE,
            merged_into=None,
            max_lon__gte=box.min_lon,
            min_lon__lte=box.max_lon,
            max_lat__gte=box.min_lat,
            min_lat__lte=box.max_lat,
        )
        .values_list("pk", "code", "name", "population", "camera_count",
                     "geometry" if detailed else "outline_coarse")
        .order_by()
    )  # fmt: skip
    features = []
    for *values, shape in rows.iterator(2000):
        if shape:
            row = recorded.commune_row(*values)
            if detailed:
                shape = json.dumps(shape, separators=(",", ":"))
            features.append(_feature(shape, row.code, row.name, _known(*row[4:])))
    return _collection(features)


def _feature(shape: str, code: str, name: str, measures: dict) -> str:
    properties = {"code": code, "name": name} | measures
    return (
        f'{{"type":"Feature","geometry":{shape},"properties":'
        f"{json.dumps(properties, ensure_ascii=False, separators=(',', ':'))}}}"
    )


def _collection(features: list[str]) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def measures_by_code() -> dict[str, dict]:
    """Each commune's known measures, by INSEE code: the figures of the table that stands
    in for the map, from its cache (tuples of CommuneRow's fields)."""
    return {row[1]: _known(*row[4:]) for row in commune_rows().data}


def _known(cameras, cameras_source, cameras_per_1000, fipd, fipd_per_inhabitant, vsa) -> dict:
    """A CommuneRow's last six fields as the map's properties. Only what is known: at
    the scale of France, empty properties would double the answer."""
    known = {}
    if cameras:
        known["cameras"] = cameras
        if cameras_source == "declared":
            known["cameras_declared"] = True
        if cameras_per_1000 is not None:
            known["cameras_per_1000"] = round(cameras_per_1000, 2)
    if fipd is not None:
        known["fipd_per_inhabitant"] = _rounded(fipd_per_inhabitant)
    if vsa:
        known["vsa"] = True
    return known


# France at once is sent in two parts, each gzipped once and kept in the cache with its
# ETag: the outlines (several megabytes, changed only by an import of places) and the
# measures (small, changed by every edit of the record). Imports and edits build both
# when they commit (warm_after_commit), so that visitors are served from the cache.
def national_outlines() -> tuple[bytes, str]:
    """Every commune's coarse outline, with its code and name."""
    version = places_version()
    return _cached_gzip(f"observatory:outlines:{version}", version, _outlines)


def _outlines() -> str:
    rows = (
        Place.objects.filter(kind=Place.Kind.COMMUNE, merged_into=None)
        .exclude(outline_coarse="")
        .values_list("code", "name", "outline_coarse")
        .order_by()
    )
    return _collection(
        [_feature(shape, code, name, {}) for code, name, shape in rows.iterator(2000)]
    )


def national_measures() -> tuple[bytes, str]:
    """{INSEE code: measures} for every commune with something known."""
    version = record_version()
    return _cached_gzip(
        f"observatory:measures:{version}",
        version,
        lambda: json.dumps(measures_by_code(), separators=(",", ":")),
    )


def warm() -> None:
    """Builds what visitors ask for at the scale of France, if not in the cache already:
    the outlines, the measures with the table of communes they are read from, and the
    index's figures."""
    national_outlines()
    national_measures()
    top_communes()
    headline_totals()


def warm_after_commit(**kwargs) -> None:
    """Has warm() run once the current transaction commits: once per transaction,
    however many rows it changes (an import changes thousands)."""
    connection = transaction.get_connection()
    # Django keeps the pending callbacks as (savepoints, callback, robust); a test checks
    # that a transaction of fifty rows schedules one.
    if connection.in_atomic_block and any(entry[1] is warm for entry in connection.run_on_commit):
        return
    # Robust: a cache that is down must not turn a committed edit into an error.
    transaction.on_commit(warm, robust=True)


def _cached_gzip(key: str, version: str, build) -> tuple[bytes, str]:
    body = cache.get(key)
    if body is None:
        body = gzip.compress(build().encode(), compresslevel=6, mtime=0)
        cache.set(key, body, 24 * 3600)
    return body, f'"{version}"'


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def cameras_geojson(box: BBox) -> str | None:
    """OpenStreetMap cameras in the box as points; None when there are too many to draw
    (the map then asks the visitor to zoom in)."""
    return _points_in(
        box,
        OsmCamera.objects.all(),
        ("osm_type", "osm_id", "camera_type", "surveillance_type"),
        lambda osm_type, osm_id, camera_type, surveillance_type: {
            "osm": f"{osm_type}/{osm_id}",
            "camera_type": camera_type,
            "surveillance_type": surveillance_type,
        },
    )


def inventory_geojson(box: BBox) -> str | None:
    """The positioned locations of official inventories (the Paris authorisations of
    2019) in the box: a layer of their own, never mixed with OpenStreetMap's. None when
    there are too many to draw."""
    return _points_in(
        box,
        InventoryEntry.objects.order_by("pk"),
        ("claim_id", "reference", "location_text", "commissioned_text"),
        lambda claim, reference, location, commissioned: {
            "claim": claim,
            "reference": reference,
            "location": location,
            "commissioned": commissioned,
        },
    )


def _points_in(box: BBox, rows, fields: tuple[str, ...], properties) -> str | None:
    """Rows with a lon and a lat inside the box as GeoJSON points, `properties` making
    each point's properties from `fields`; None beyond MAX_CAMERAS."""
    found = list(
        rows.filter(
            lon__gte=box.min_lon, lon__lte=box.max_lon, lat__gte=box.min_lat, lat__lte=box.max_lat
        ).values_list("lon", "lat", *fields)[: MAX_CAMERAS + 1]
    )
    if len(found) > MAX_CAMERAS:
        return None
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties(*values),
        }
        for lon, lat, *values in found
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
