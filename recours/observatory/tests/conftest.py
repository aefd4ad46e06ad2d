import json

import pytest
import shapely

from recours.observatory.cameras import count_cameras
from recours.observatory.models import Claim, Evidence, Funding, OsmCamera, Place, Vendor
from recours.observatory.places import coarse_outlines
from recours.observatory.tests.geo import collection, feature, square


def place_with_outline(kind, code, name, outline, **fields) -> Place:
    shape = shapely.from_geojson(json.dumps(outline))
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
    count_cameras()
    nice.refresh_from_db()
    return nice


@pytest.fixture
def place_files(tmp_path):
    """Three communes of one département: 01002 merged into 01001 since the outlines."""
    communes = collection(
        [
            feature(square(5.0, 45.0), code="01001", nom="Alpha", dep="01"),
            feature(square(5.1, 45.0), code="01002", nom="Beta", dep="01"),
            feature(square(5.3, 45.0), code="01003", nom="Gamma", dep="01"),
            # Gone from the INSEE list without a word: next to Alpha, which has grown.
            feature(square(4.9, 45.0), code="01004", nom="Delta", dep="01"),
            # Gone too, with no grown neighbour: reported, kept under its own code.
            feature(square(5.8, 45.0), code="01005", nom="Epsilon", dep="01"),
        ]
    )
    (tmp_path / "communes.geojson").write_text(json.dumps(communes))
    (tmp_path / "departements.geojson").write_text(
        json.dumps(collection([feature(square(5.0, 45.0, 0.5), code="01", nom="Ain")]))
    )
    (tmp_path / "regions.geojson").write_text(
        json.dumps(
            collection([feature(square(4.0, 44.0, 3), code="84", nom="Auvergne-Rhône-Alpes")])
        )
    )
    insee = tmp_path / "insee"
    insee.mkdir()
    (insee / "communes.csv").write_text(
        "insee_com,insee_reg,insee_dep,commune,code_postal,commune_type,insee_parente,"
        "population_2021,superficie_km2\n"
        "01001,84,01,Alpha,01100,COM,,1200,270\n"  # three old outlines of about 88 km²
        "01001,84,01,Alpha,01101,COM,,1200,270\n"
        "01002,84,01,Beta,01100,COMD,01001,,\n"
        "01003,84,01,Gamma,01300,COM,,300,88\n"
    )
    (insee / "departements.csv").write_text("insee_dep,insee_reg,departement\n01,84,Ain\n")
    return tmp_path
