"""A small map of one place, drawn on the server as SVG: its outline and the cameras
known inside it (OpenStreetMap's, and the positions official authorisations give). No
tiles, no script: it shows on any page, printed too, and its text alternative says what
it shows."""

import math
from dataclasses import dataclass

from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from recours.observatory.models import InventoryEntry, OsmCamera, Place

WIDTH = 320
MAX_POINTS = 3000  # beyond, a département's map is dots on dots: drawn, never listed


@dataclass(frozen=True)
class Frame:
    """Longitude and latitude to SVG coordinates: an equirectangular projection at the
    place's middle latitude, which is faithful at the scale of a commune or a département."""

    min_lon: float
    max_lat: float
    scale: float
    squeeze: float

    @classmethod
    def around(cls, place: Place) -> "Frame | None":
        if place.min_lon is None or place.max_lon == place.min_lon:
            return None
        squeeze = math.cos(math.radians((place.min_lat + place.max_lat) / 2))
        width = (place.max_lon - place.min_lon) * squeeze
        return cls(place.min_lon, place.max_lat, (WIDTH - 8) / width, squeeze)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            round(4 + (lon - self.min_lon) * self.squeeze * self.scale, 1),
            round(4 + (self.max_lat - lat) * self.scale, 1),
        )


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _points(place: Place, model, field: str) -> list[tuple[float, float]]:
    rows = model.objects.filter(place.within(field)).exclude(lon=None)
    box = Q(lon__gte=place.min_lon, lon__lte=place.max_lon, lat__gte=place.min_lat,
            lat__lte=place.max_lat)  # fmt: skip
    return list(rows.filter(box).values_list("lon", "lat")[:MAX_POINTS])


def place_map(place: Place) -> str:
    """The SVG, or "" when the place has no outline."""
    frame = Frame.around(place)
    if frame is None or not place.geometry:
        return ""
    paths = " ".join(
        "M" + "L".join("{},{}".format(*frame.xy(lon, lat)) for lon, lat in ring) + "Z"
        for ring in _rings(place.geometry)
    )
    height = round(8 + (place.max_lat - place.min_lat) * frame.scale)
    osm = _points(place, OsmCamera, "commune")
    authorised = _points(place, InventoryEntry, "claim__place")
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5" class="{}"/>',
        (
            (*frame.xy(lon, lat), css)
            for points, css in ((osm, "place-map__osm"), (authorised, "place-map__authorised"))
            for lon, lat in points
        ),
    )
    description = _describe(place, len(osm), len(authorised))
    return format_html(
        '<svg class="place-map" viewBox="0 0 {} {}" role="img" aria-labelledby="place-map-title">'
        '<title id="place-map-title">{}</title><path d="{}" class="place-map__outline"/>{}</svg>',
        WIDTH, height, description, paths, dots,
    )  # fmt: skip


def _describe(place: Place, osm: int, authorised: int) -> str:
    parts = [_("Contour de %(name)s") % {"name": place.name}]
    if osm:
        parts.append(
            ngettext(
                "%(n)d caméra OpenStreetMap (point blanc)",
                "%(n)d caméras OpenStreetMap (points blancs)",
                osm,
            )
            % {"n": osm}
        )
    if authorised:
        parts.append(
            ngettext(
                "%(n)d caméra autorisée par arrêté (point rouge)",
                "%(n)d caméras autorisées par arrêté (points rouges)",
                authorised,
            )
            % {"n": authorised}
        )
    return " ; ".join(parts)
