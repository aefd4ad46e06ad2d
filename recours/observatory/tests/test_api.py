"""The read-only API: its answers, and Schemathesis checking every endpoint against the
OpenAPI schema the API publishes (generated requests, in-process through WSGI)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from recours.observatory.cameras import count_cameras_by_commune
from recours.observatory.models import Claim, Evidence, OsmCamera, Place, Vendor
from recours.wsgi import application

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
BASE = "/api/observatoire"


@pytest.fixture
def record(db):
    region = Place.objects.create(kind="region", code="84", name="Auvergne-Rhône-Alpes")
    lyon = Place.objects.create(
        kind="commune", code="69123", name="Lyon", population=522250, postcodes="69001 69002",
        parent=region, min_lon=4.77, min_lat=45.70, max_lon=4.90, max_lat=45.81,
    )  # fmt: skip
    claim = Claim.objects.create(
        place=lyon, technology="vsa", vendor=Vendor.objects.create(name="ACME"),
        status="trial", confidence="press", summary="Une expérimentation.",
    )  # fmt: skip
    Evidence.objects.create(claim=claim, kind="web_page", url="https://press.example/a")
    OsmCamera.objects.create(osm_id=1, lon=4.83, lat=45.76, tags={"man_made": "surveillance"},
                             commune=lyon, directions=[90.0])  # fmt: skip
    OsmCamera.objects.create(osm_id=2, lon=2.35, lat=48.85, tags={"man_made": "surveillance"})
    count_cameras_by_commune()
    return lyon


def test_places_search_detail_and_cameras_by_bounding_box(client, record):
    found = client.get(f"{BASE}/places", {"q": "lyon"}).json()
    assert found["count"] == 1
    assert found["items"][0] | {} == {
        "kind": "commune", "code": "69123", "name": "Lyon", "population": 522250,
        "postcodes": "69001 69002", "parent_code": "84", "merged_into_code": None,
    }  # fmt: skip
    assert client.get(f"{BASE}/places", {"q": "69002"}).json()["count"] == 1

    detail = client.get(f"{BASE}/places/commune/69123")
    assert "max-age=300" in detail["Cache-Control"]
    body = detail.json()
    assert body["osm_cameras"] == 1
    assert body["claims"][0]["vendor"] == "ACME"
    assert body["claims"][0]["evidence"][0]["url"] == "https://press.example/a"

    cameras = client.get(
        f"{BASE}/cameras", {"min_lon": 4.7, "min_lat": 45.7, "max_lon": 4.9, "max_lat": 45.8}
    ).json()
    assert [c["osm_id"] for c in cameras["items"]] == [1]
    assert client.get(f"{BASE}/places/commune/00000").status_code == 404
    assert client.get(f"{BASE}/stats").json() == {"places": 2, "claims": 1, "osm_cameras": 2}


def test_the_schema_loads_nothing_from_elsewhere(client):
    schema = client.get(f"{BASE}/openapi.json").json()
    assert schema["info"]["title"] == "Recours · observatoire"
    assert client.get(f"{BASE}/docs").status_code == 404  # Swagger UI would need a CDN


schema = schemathesis.openapi.from_wsgi(f"{BASE}/openapi.json", application)


@pytest.fixture
def connections_kept():
    """Requests go straight to the WSGI application, whose request signals would close
    the database connection that holds the test's transaction; Django's test client
    disconnects the same handler for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("record", "connections_kept")
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_keeps_to_its_schema(case):
    case.call_and_validate()
