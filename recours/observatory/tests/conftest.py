import pytest
import shapely

from recours.observatory.cameras import count_cameras_by_commune
from recours.observatory.models import Claim, Evidence, Funding, OsmCamera, Place, Vendor
from recours.observatory.places import coarse_outlines


def square(lon: float, lat: float, size: float = 0.1) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                         [lon, lat + size], [lon, lat]]],
    }  # fmt: skip


def place_with_outline(kind, code, name, outline, **fields) -> Place:
    shape = shapely.from_geojson(__import__("json").dumps(outline))
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    return Place.objects.create(
        kind=kind, code=code, name=name, geometry=outline,
        outline_coarse=coarse_outlines([shape])[0], min_lon=min_lon, min_lat=min_lat,
        max_lon=max_lon, max_lat=max_lat, **fields,
    )  # fmt: skip


@pytest.fixture
def record(db, settings, tmp_path):
    """Nice with a VSA trial, FIPD money, three OSM cameras and a commune merged into it;
    Menton with nothing recorded."""
    settings.MEDIA_ROOT = tmp_path / "media"
    department = Place.objects.create(kind="departement", code="06", name="Alpes-Maritimes")
    nice = place_with_outline(
        "commune", "06088", "Nice", square(7.2, 43.65), population=340000,
        postcodes="06000 06100 06200 06300", parent=department,
    )  # fmt: skip
    old = place_with_outline("commune", "06999", "Ancienne-Commune", square(7.3, 43.65),
                             parent=department, merged_into=nice)  # fmt: skip
    place_with_outline("commune", "06083", "Menton", square(7.45, 43.75), population=30000,
                       postcodes="06500", parent=department)  # fmt: skip
    vendor = Vendor.objects.create(name="Two-I")
    claim = Claim.objects.create(
        place=nice, technology="vsa", vendor=vendor, status="trial", confidence="press",
        summary="Expérimentation de vidéosurveillance algorithmique.",
    )  # fmt: skip
    Evidence.objects.create(claim=claim, kind="web_page", title="Article",
                            publisher="Nice-Matin", url="https://press.example/nice-vsa")  # fmt: skip
    Claim.objects.create(place=old, technology="drone", status="announced", confidence="rumour")
    Funding.objects.create(place=nice, programme="fipd", year=2022, amount_eur=170000,
                           purpose="Caméras", evidence_url="https://prefecture.example/fipd")  # fmt: skip
    for osm_id, lon in enumerate([7.21, 7.22, 7.25], start=1):
        OsmCamera.objects.create(osm_id=osm_id, lon=lon, lat=43.7, commune=nice,
                                 tags={"man_made": "surveillance", "camera:type": "dome"},
                                 camera_type="dome")  # fmt: skip
    OsmCamera.objects.create(osm_id=99, lon=2.35, lat=48.85, tags={"man_made": "surveillance"})
    count_cameras_by_commune()
    nice.refresh_from_db()
    return nice
