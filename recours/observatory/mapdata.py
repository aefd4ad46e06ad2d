"""The map's data as GeoJSON text. Outlines are stored serialised and joined as text: at
the scale of France that is 35,000 communes, and parsing then re-serialising them would
cost most of the answer's time."""

import gzip
import json
from dataclasses import dataclass

from django.core.cache import cache

from recours.observatory.measures import (
    declared_cameras_by_place,
    fipd_by_place,
    known_cameras,
    per_inhabitant,
    record_version,
    vsa_places,
)
from recours.observatory.models import OsmCamera, Place

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


WORLD = BBox(-180, -90, 180, 90)


def communes_geojson(box: BBox = WORLD) -> str:
    """Communes whose outline meets the box, with their measures as properties."""
    fipd = fipd_by_place()
    vsa = vsa_places()
    declared = declared_cameras_by_place()
    detailed = box.span <= DETAIL_SPAN
    outline = "geometry" if detailed else "outline_coarse"
    rows = (
        Place.objects.filter(
            kind=Place.Kind.COMMUNE,
            merged_into=None,
            max_lon__gte=box.min_lon,
            min_lon__lte=box.max_lon,
            max_lat__gte=box.min_lat,
            min_lat__lte=box.max_lat,
        )
        .values_list("pk", "code", "name", "population", "camera_count", outline)
        .order_by()
    )
    features = []
    for pk, code, name, population, cameras, shape in rows.iterator(2000):
        if not shape:
            continue
        if detailed:
            shape = json.dumps(shape, separators=(",", ":"))
        # Only what is known: at the scale of France, empty properties would double the
        # answer.
        properties = {"code": code, "name": name}
        cameras = known_cameras(cameras, declared.get(pk))
        if cameras:
            properties["cameras"] = cameras
            if population:
                properties["cameras_per_1000"] = round(cameras * 1000 / population, 2)
        if pk in fipd:
            properties["fipd_per_inhabitant"] = _rounded(per_inhabitant(fipd[pk], population))
        if pk in vsa:
            properties["vsa"] = True
        features.append(
            f'{{"type":"Feature","geometry":{shape},"properties":'
            f"{json.dumps(properties, ensure_ascii=False, separators=(',', ':'))}}}"
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def national_map() -> tuple[bytes, str]:
    """Every commune's coarse outline and measures, gzipped, and its ETag. The same for
    every visitor until the record changes, so built once per change (about a second)
    and then served from the cache."""
    version = record_version()
    key = f"observatory:national-map:{version}"
    body = cache.get(key)
    if body is None:
        body = gzip.compress(communes_geojson().encode(), compresslevel=6, mtime=0)
        cache.set(key, body, 24 * 3600)
    return body, f'"{version}"'


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def cameras_geojson(box: BBox) -> str | None:
    """OpenStreetMap cameras in the box as points; None when there are too many to draw
    (the map then asks the visitor to zoom in)."""
    rows = list(
        OsmCamera.objects.filter(
            lon__gte=box.min_lon, lon__lte=box.max_lon, lat__gte=box.min_lat, lat__lte=box.max_lat
        ).values_list("osm_type", "osm_id", "lon", "lat", "camera_type", "surveillance_type")[
            : MAX_CAMERAS + 1
        ]
    )
    if len(rows) > MAX_CAMERAS:
        return None
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "osm": f"{osm_type}/{osm_id}",
                "camera_type": camera_type,
                "surveillance_type": surveillance_type,
            },
        }
        for osm_type, osm_id, lon, lat, camera_type, surveillance_type in rows
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
