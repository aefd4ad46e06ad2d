"""The read-only API: its answers, and Schemathesis checking every endpoint against the
OpenAPI schema the API publishes (generated requests, in-process through WSGI)."""

import io
import json
from functools import partial

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from recours.core.crypto import new_token
from recours.observatory.cameras import count_cameras
from recours.observatory.models import (
    ApiToken,
    Claim,
    Evidence,
    InventoryEntry,
    OsmCamera,
    Place,
    Vendor,
)
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
    count_cameras()
    return lyon


def test_places_search_detail_and_cameras_by_bounding_box(client, record):
    found = client.get(f"{BASE}/places", {"q": "lyon"}).json()
    assert found["count"] == 1
    assert found["items"][0] | {} == {
        "kind": "commune", "code": "69123", "name": "Lyon", "population": 522250,
        "postcodes": "69001 69002", "parent_code": "84", "epci_code": None, "merged_into_code": None,
    }  # fmt: skip
    assert client.get(f"{BASE}/places", {"q": "69002"}).json()["count"] == 1

    detail = client.get(f"{BASE}/places/commune/69123")
    assert detail["Cache-Control"] == "public, max-age=300"
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


def test_a_nul_character_is_refused_before_the_database(client, record, token):
    """PostgreSQL's text holds no NUL: found by Schemathesis on CI, refused with 422 now,
    on SQLite as on PostgreSQL."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    claim = Claim.objects.get()

    answers = [
        client.get(f"{BASE}/places", {"q": "Ly\x00on"}),
        client.get(f"{BASE}/places/commune/69%00123"),
        client.post(f"{BASE}/claims", json.dumps({"place": {"kind": "commune", "code": "69123"},
                    "technology": "vsa", "status": "trial", "confidence": "press",
                    "summary": "a\x00b"}), **auth),
        client.patch(f"{BASE}/claims/{claim.pk}", json.dumps({"vendor": "\x00"}), **auth),
        client.post(f"{BASE}/claims/{claim.pk}/evidence", json.dumps(
            {"kind": "web_page", "url": "https://a.example/\x00"}), **auth),
    ]  # fmt: skip

    assert [r.status_code for r in answers] == [422] * 5
    assert Claim.objects.count() == 1 and claim.evidence.count() == 1


def test_a_body_that_is_not_one_json_object_is_refused(client, record, token):
    """Found by Schemathesis on CI: `[]` was taken for an empty PATCH and answered 200."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    claim = Claim.objects.get()
    before = claim.changes.count()

    answers = [
        client.patch(f"{BASE}/claims/{claim.pk}", body, **auth)
        for body in ["[]", "[1]", '"text"', "3", "null"]
    ]

    assert [r.status_code for r in answers] == [400] * 5
    assert claim.changes.count() == before


@pytest.mark.usefixtures("record", "connections_kept")
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_keeps_to_its_schema(case):
    case.call_and_validate()


@pytest.fixture
def token(db):
    from django.core.management import call_command

    User.objects.create_superuser("moderator", "m@example.org", "a long password 42")
    out = io.StringIO()
    call_command("create_api_token", "moderator", stdout=out)
    return out.getvalue().strip()


def test_writes_need_a_moderators_token(client, record, token):
    body = {"place": {"kind": "commune", "code": "69123"}, "technology": "drone",
            "status": "announced", "confidence": "press"}  # fmt: skip
    post = partial(
        client.post, f"{BASE}/claims", data=json.dumps(body), content_type="application/json"
    )

    assert post().status_code == 401
    assert post(HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    User.objects.create_user("reader", password="a long password 43")
    reader_token, token_hash = new_token()
    ApiToken.objects.create(
        user=User.objects.get(username="reader"), name="t", token_hash=token_hash
    )
    assert post(HTTP_AUTHORIZATION=f"Bearer {reader_token}").status_code == 403
    assert Claim.objects.count() == 1

    created = post(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert created.status_code == 201
    claim = Claim.objects.get(pk=created.json()["id"])
    assert (claim.place, claim.technology) == (record, "drone")
    assert claim.changes.get().by == "api:moderator"


def test_a_moderator_updates_a_claim_adds_evidence_and_funding(client, record, token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "content_type": "application/json"}
    claim = Claim.objects.get()

    patched = client.patch(f"{BASE}/claims/{claim.pk}",
                           json.dumps({"status": "in_service", "vendor": "Briefcam"}), **auth)  # fmt: skip
    assert patched.status_code == 200
    claim.refresh_from_db()
    assert claim.status == "in_service" and claim.vendor.name == "Briefcam"
    assert claim.changes.get().changes == {"vendor": ["ACME", "Briefcam"],
                                           "status": ["trial", "in_service"]}  # fmt: skip

    evidence = client.post(f"{BASE}/claims/{claim.pk}/evidence", json.dumps(
        {"kind": "court_decision", "title": "TA Lyon", "url": "https://justice.example/d"}), **auth)  # fmt: skip
    assert evidence.status_code == 201
    funding = client.post(f"{BASE}/funding", json.dumps(
        {"place": {"kind": "commune", "code": "69123"}, "programme": "fipd", "year": 2022,
         "amount_eur": "80000.00"}), **auth)  # fmt: skip
    assert funding.status_code == 201
    assert client.get(f"{BASE}/funding").json()["items"][0]["amount_eur"] == "80000.00"
    assert client.get(f"{BASE}/claims/{claim.pk}").json()["evidence"][1]["title"] == "TA Lyon"

    refused = [
        client.patch(f"{BASE}/claims/{claim.pk}", json.dumps({"status": "maybe"}), **auth),
        client.patch(f"{BASE}/claims/{claim.pk}", json.dumps({"started_on": "2030-01-01",
                                                              "ended_on": "2020-01-01"}), **auth),
        client.patch(f"{BASE}/claims/999999", json.dumps({"status": "ended"}), **auth),
        client.post(f"{BASE}/funding", json.dumps({"place": {"kind": "commune", "code": "1"},
                    "programme": "fipd", "year": 2022, "amount_eur": "1"}), **auth),
        client.post(f"{BASE}/claims/{claim.pk}/evidence",
                    json.dumps({"kind": "web_page", "url": "javascript:alert(1)"}), **auth),
    ]  # fmt: skip
    assert [r.status_code for r in refused] == [422, 422, 404, 404, 422]
    claim.refresh_from_db()
    assert claim.status == "in_service" and claim.ended_on is None


@pytest.mark.usefixtures("record", "connections_kept")
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_keeps_to_its_schema_with_a_moderators_token(case, token):
    """Generated writes, valid and not: answered with 2xx, 401, 403, 404 or 422, never 500.
    A schema-valid write may still be refused: the schema cannot say that a claim's end
    comes after its start, so that one check is left out here."""
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
    )


def test_authorised_locations_are_a_map_layer_of_their_own(client, record):
    permit = Claim.objects.create(place=record, technology="cctv", status="in_service",
                                  confidence="official")  # fmt: skip
    InventoryEntry.objects.create(claim=permit, reference="N-12", location_text="Place Masséna",
                                  precision="crossing", lon=7.221, lat=43.701)  # fmt: skip
    InventoryEntry.objects.create(claim=permit, reference="N-13", location_text="Sans position",
                                  precision="other")  # fmt: skip
    url = reverse("observatory:map_inventory")

    inside = client.get(url, {"bbox": "7.2,43.6,7.3,43.8"}).json()
    outside = client.get(url, {"bbox": "2.2,48.8,2.4,48.9"}).json()
    bad = client.get(url, {"bbox": "nonsense"})

    assert [f["properties"]["location"] for f in inside["features"]] == ["Place Masséna"]
    assert inside["features"][0]["geometry"]["coordinates"] == [7.221, 43.701]
    assert outside["features"] == []
    assert bad.status_code == 400
