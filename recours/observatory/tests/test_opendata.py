"""Open data downloads: stable ids, the licence of each row, national and per place."""

import csv
import io
import json

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def download(client, *args, place=None):
    if place:
        url = reverse("observatory:place_download", args=[place.kind, place.code, *args])
    else:
        url = reverse("observatory:download", args=args)
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode()


def test_claims_csv_national_with_ids_sources_and_licence(client, record):
    rows = list(csv.DictReader(io.StringIO(download(client, "claims", "csv"))))

    assert [(row["place_code"], row["technology"]) for row in rows] == [
        ("06088", "vsa"), ("06999", "drone"),
    ]  # fmt: skip
    vsa = rows[0]
    assert vsa["id"].startswith("claim-") and vsa["vendor"] == "Two-I"
    assert vsa["sources"] == "https://press.example/nice-vsa"
    assert {row["licence"] for row in rows} == {"ODbL-1.0"}


def test_cameras_geojson_is_odbl_and_per_place_includes_merged_communes(client, record):
    national = json.loads(download(client, "cameras", "geojson"))
    assert national["licence"] == "ODbL-1.0 © OpenStreetMap contributors"
    assert len(national["features"]) == 4
    feature = next(f for f in national["features"] if f["id"] == "node/1")
    assert feature["geometry"] == {"type": "Point", "coordinates": [7.21, 43.7]}
    assert json.loads(feature["properties"]["tags"])["camera:type"] == "dome"

    nice = json.loads(download(client, "cameras", "geojson", place=record))
    assert sorted(f["id"] for f in nice["features"]) == ["node/1", "node/2", "node/3"]
    claims = json.loads(download(client, "claims", "geojson", place=record))
    assert {f["properties"]["place_code"] for f in claims["features"]} == {"06088", "06999"}


def test_funding_and_empty_files_keep_their_columns(client, record):
    funding = list(csv.DictReader(io.StringIO(download(client, "funding", "csv"))))
    assert funding[0]["amount_eur"] == "170000.00" and funding[0]["programme"] == "fipd"

    menton = record.parent.children.get(code="06083")
    empty = download(client, "funding", "csv", place=menton)
    assert empty.splitlines() == [
        "id,place_kind,place_code,place_name,programme,year,amount_eur,purpose,source,licence"
    ]
    assert json.loads(download(client, "claims", "geojson", place=menton))["features"] == []


def test_unknown_dataset_or_format_is_404(client, record):
    assert client.get("/observatoire/donnees/people.csv").status_code == 404
    assert client.get("/observatoire/donnees/claims.xlsx").status_code == 404
    assert client.get(reverse("observatory:downloads")).status_code == 200


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, record):
    from recours.observatory.models import Claim, Funding, OsmCamera

    Claim.objects.filter(technology="vsa").update(summary='=HYPERLINK("http://x.example","clic")')
    Funding.objects.update(purpose="@SUM(1+1)")
    OsmCamera.objects.filter(osm_id=1).update(operator="+cmd|' /C calc'!A0", lon=-1.5)

    claims = list(csv.DictReader(io.StringIO(download(client, "claims", "csv"))))
    funding = list(csv.DictReader(io.StringIO(download(client, "funding", "csv"))))
    cameras = list(csv.DictReader(io.StringIO(download(client, "cameras", "csv"))))

    assert claims[0]["summary"] == '\'=HYPERLINK("http://x.example","clic")'
    assert funding[0]["purpose"] == "'@SUM(1+1)"
    camera = next(row for row in cameras if row["operator"])
    assert camera["operator"] == "'+cmd|' /C calc'!A0"
    assert camera["lon"] == "-1.5"  # a number stays a number


def test_safe_cell_keeps_numbers_and_text():
    from recours.core.spreadsheet import safe_cell

    assert [safe_cell(v) for v in ["-12", "+3.5e2", "-x", "\tx", "texte", 7, None]] == [
        "-12", "+3.5e2", "'-x", "'\tx", "texte", 7, None,
    ]  # fmt: skip
