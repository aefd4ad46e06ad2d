"""The observatory's public pages, without JavaScript: every figure the map shows is
reachable as a table or a list."""

import gzip
import json

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from recours.observatory import mapdata
from recours.observatory.domain import create_claim, record_change
from recours.observatory.measures import record_version
from recours.observatory.models import Claim, Place

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_index_gives_the_figures_and_the_table_that_stands_in_for_the_map(client, record):
    page = client.get(reverse("observatory:index")).content.decode()

    assert 'id="map" class="map" hidden' in page  # shown only by the script
    assert "Nice" in page and "0,01" in page  # 3 cameras for 340,000 people
    assert "170\xa0000 €" in page  # FIPD total
    assert reverse("observatory:technology", args=["vsa"]) in page
    assert "Two-I" in page

    by_fipd = client.get(reverse("observatory:index"), {"mesure": "fipd"}).content.decode()
    assert "0,50" in by_fipd  # 170,000 € for 340,000 people
    assert client.get(reverse("observatory:index"), {"mesure": "nope"}).status_code == 200


def test_place_page_shows_claims_evidence_funding_cameras_and_how_to_contribute(client, record):
    response = client.get(record.get_absolute_url())
    page = response.content.decode()

    assert response.status_code == 200
    assert "max-age=300" in response["Cache-Control"]
    assert "Expérimentation de vidéosurveillance algorithmique." in page
    assert "https://press.example/nice-vsa" in page and "presse" in page
    assert "170" in page and "FIPD" in page
    assert "3 caméras cartographiées" in page and "Pour 1 000 habitants : 0,01." in page
    assert "Ancienne-Commune" in page  # the merged commune, and its drone claim
    assert "Drone" in page
    assert reverse("observatory:request_letter", args=["commune", "06088"]) in page
    assert reverse("observatory:report_lead") + "?lieu=commune/06088" in page


def test_a_merged_commune_sends_to_its_new_commune(client, record):
    response = client.get(reverse("observatory:place", args=["commune", "06999"]))

    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()


def test_departement_page_lists_its_communes(client, record):
    page = client.get(reverse("observatory:place", args=["departement", "06"])).content.decode()

    assert "Menton" in page and "Nice" in page
    assert client.get(reverse("observatory:place", args=["commune", "00000"])).status_code == 404


def test_search_by_name_or_postcode(client, record):
    by_postcode = client.get(reverse("observatory:search"), {"q": "06300"})
    assert by_postcode.status_code == 302
    assert by_postcode["Location"] == record.get_absolute_url()

    by_name = client.get(reverse("observatory:search"), {"q": "e"}).content.decode()
    assert "Nice" in by_name and "Menton" in by_name
    assert "Ancienne-Commune" not in by_name  # merged: reached through Nice

    nothing = client.get(reverse("observatory:search"), {"q": "Atlantide"}).content.decode()
    assert "Aucun lieu ne correspond" in nothing
    invalid = client.get(reverse("observatory:search"), {"q": "a\x07b"})
    assert invalid.status_code == 200 and "caractères invalides" in invalid.content.decode()


def test_technology_and_vendor_pages(client, record):
    vsa = client.get(reverse("observatory:technology", args=["vsa"])).content.decode()
    assert "Nice" in vsa and "expérimentation" in vsa
    assert client.get(reverse("observatory:technology", args=["crystal-ball"])).status_code == 404

    vendor = record.claims.get().vendor
    page = client.get(vendor.get_absolute_url()).content.decode()
    assert "Nice" in page and "1 déploiement documenté" in page
    assert "Two-I" in client.get(reverse("observatory:vendors")).content.decode()


def test_communes_table_filters_by_departement_and_pages(client, record):
    page = client.get(reverse("observatory:communes"), {"departement": "06", "mesure": "vsa"})
    text = page.content.decode()

    assert page.status_code == 200
    assert "Nice" in text and "Menton" not in text  # Menton has nothing recorded
    assert client.get(reverse("observatory:communes"), {"page": "999"}).status_code == 200


def test_map_data_national_coarse_and_detailed_by_bounding_box(client, record):
    national = client.get(reverse("observatory:map_communes"))
    assert national["Content-Type"] == "application/geo+json"
    features = {f["properties"]["code"]: f for f in json.loads(national.content)["features"]}
    assert set(features) == {"06088", "06083"}  # the merged commune is inside Nice
    assert features["06088"]["properties"] == {"code": "06088", "name": "Nice"}
    measures = client.get(reverse("observatory:map_measures"))
    assert measures["Content-Type"] == "application/json"
    assert json.loads(measures.content) == {
        "06088": {"cameras": 3, "cameras_per_1000": 0.01, "fipd_per_inhabitant": 0.5, "vsa": True}
    }  # Menton has nothing recorded

    near = client.get(reverse("observatory:map_communes"), {"bbox": "7.1,43.6,7.35,43.8"})
    (nice,) = json.loads(near.content)["features"]
    assert nice["properties"] == {
        "code": "06088", "name": "Nice", "cameras": 3, "cameras_per_1000": 0.01,
        "fipd_per_inhabitant": 0.5, "vsa": True,
    }  # fmt: skip

    for bad in ["1,2,3", "a,b,c,d", "10,0,5,1", "0,0,0,95"]:
        refused = client.get(reverse("observatory:map_communes"), {"bbox": bad})
        assert refused.status_code == 400


def test_map_cameras_by_bounding_box_and_refusal_when_too_many(client, record, monkeypatch):
    url = reverse("observatory:map_cameras")
    body = json.loads(client.get(url, {"bbox": "7.2,43.6,7.3,43.8"}).content)
    assert sorted(f["properties"]["osm"] for f in body["features"]) == [
        "node/1", "node/2", "node/3"
    ]  # fmt: skip

    monkeypatch.setattr(mapdata, "MAX_CAMERAS", 2)
    too_many = client.get(url, {"bbox": "7.2,43.6,7.3,43.8"})
    assert too_many.status_code == 413
    assert json.loads(too_many.content) == {"error": "too_many", "limit": 2}


def test_the_map_page_allows_only_the_configured_tile_server(client, record, settings):
    assert "tiles" not in client.get(reverse("observatory:index"))["Content-Security-Policy"]

    settings.OBSERVATORY_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = client.get(reverse("observatory:index"))

    assert "img-src 'self' data: https://tiles.example.org;" in response[
        "Content-Security-Policy"
    ]  # fmt: skip
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in response.content.decode()


def test_the_national_map_is_cached_until_the_record_changes(client, record):
    """The outlines keep their version through an edit of the record; the measures get a
    new one."""
    outlines_url, measures_url = (
        reverse("observatory:map_communes"),
        reverse("observatory:map_measures"),
    )
    outlines = client.get(outlines_url, HTTP_ACCEPT_ENCODING="gzip")
    first = client.get(measures_url, HTTP_ACCEPT_ENCODING="gzip")
    for response in [outlines, first]:
        assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert "06083" not in json.loads(gzip.decompress(first.content))
    assert client.get(measures_url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    create_claim(claim=Claim(place=Place.objects.get(code="06083"), technology="vsa",
                             status="in_service", confidence="official"),
                 by="moderator", origin="admin")  # fmt: skip
    changed = client.get(measures_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert json.loads(changed.content)["06083"] == {"vsa": True}
    assert client.get(outlines_url, HTTP_IF_NONE_MATCH=outlines["ETag"]).status_code == 304


def test_wider_places_show_their_communes_record_and_communes_what_is_decided_above(client, record):
    department = Place.objects.get(kind="departement", code="06")
    Claim.objects.create(place=department, technology="police_file", status="in_service",
                         confidence="official", summary="Fichier départemental.")  # fmt: skip

    page = client.get(department.get_absolute_url()).content.decode()
    assert "3 dispositifs documentés ici ou dans ses communes." in page
    assert f'<a href="{record.get_absolute_url()}">Nice</a>' in page  # whose claim it is
    assert "Fichier départemental." in page and "170" in page  # Nice's FIPD money

    nice = client.get(record.get_absolute_url()).content.decode()
    above = nice[nice.index('id="wider-title"') :]
    assert "Fichier départemental." in above
    assert "Fichier départemental." not in nice[: nice.index('id="wider-title"')]


def test_an_edit_builds_the_next_map_once_committed_once_per_transaction(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            nice = Place.objects.create(kind="commune", code="06088", name="Nice")
            for _ in range(50):
                create_claim(claim=Claim(place=nice, technology="vsa", status="trial",
                                         confidence="press"), by="api:bot", origin="api")  # fmt: skip

    assert len(callbacks) == 1
    built = cache.get(f"observatory:measures:{record_version()}")
    assert json.loads(gzip.decompress(built)) == {"06088": {"vsa": True}}


def test_a_claims_history_is_public_but_not_who_made_each_change(client, record):
    claim = Claim.objects.get(place=record, technology="vsa")
    record_change(claim=claim, changes={"status": ["trial", "in_service"],
                  "vendor": ["Two-I", "Briefcam"]}, by="moderatrice-discrete")  # fmt: skip

    page = client.get(record.get_absolute_url()).content.decode()

    assert "Historique (1 modification)" in page
    assert "Statut : expérimentation → en service ; Fournisseur : Two-I → Briefcam" in page
    assert "moderatrice" not in page


def test_lists_of_claims_take_the_same_queries_for_three_claims_or_forty(
    client, record, django_assert_max_num_queries
):
    for _ in range(40):
        claim = Claim.objects.create(place=record, technology="vsa", status="trial",
                                     confidence="press")  # fmt: skip
        record_change(claim=claim, changes={"created": ["", "api"]}, by="api:moderator")
    for url in [reverse("observatory:technology", args=["vsa"]), record.get_absolute_url(),
                reverse("observatory:vendor", args=[Claim.objects.exclude(vendor=None).first().vendor_id])]:  # fmt: skip
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200
