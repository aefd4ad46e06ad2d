"""Intercommunalités from INSEE's composition table: their communes, outline, population
and cameras, their page and downloads; bad rows reported, a bad file refused."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from recours.observatory.models import ImportRun, Place
from recours.observatory.tests.geo import import_places

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
HEADER = "CODGEO;LIBGEO;EPCI;LIBEPCI;DEP;REG\n"


def write_table(folder, rows: str, name="epci.csv"):
    path = folder / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


@pytest.fixture
def epci(place_files, tmp_path, capsys):
    import_places(place_files)
    call_command("import_osm_cameras", _cameras(tmp_path))
    path = write_table(tmp_path, (
        "01001;Alpha;200000001;CC Alpha-Gamma;01;84\n"
        "01002;Beta;200000001;CC Alpha-Gamma;01;84\n"  # merged into Alpha since
        "01003;Gamma;200000001;CC Alpha-Gamma;01;84\n"
        "01005;Epsilon;ZZZZZZZZZ;Sans objet;01;84\n"  # in no intercommunalité
        "01999;Inconnue;200000002;CC Ailleurs;01;84\n"
        "01004;Delta;12;Pas un SIREN;01;84\n"
    ))  # fmt: skip
    capsys.readouterr()
    call_command("import_epci", path)
    return Place.objects.get(kind="epci", code="200000001")


def _cameras(folder):
    path = folder / "cameras.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, 45.05]},
         "properties": {"osm_type": "node", "osm_id": osm_id, "man_made": "surveillance"}}
        for osm_id, lon in [(1, 5.35), (2, 5.05), (3, 5.85)]
    ]}))  # fmt: skip
    return path


def test_an_intercommunality_gathers_its_communes(epci, capsys):
    assert capsys.readouterr().out.splitlines() == [
        "1 intercommunalités added, 0 updated; 2 communes placed in one; 2 rows skipped",
        "  set aside: line 6: commune '01999' unknown (import places first)",
        "  set aside: line 7: '12' is not an intercommunalité's SIREN",
    ]

    assert epci.name == "CC Alpha-Gamma" and epci.parent.code == "01"
    assert set(epci.member_communes.values_list("code", flat=True)) == {"01001", "01003"}
    assert epci.population == 1500
    assert (epci.min_lon, epci.max_lon) == pytest.approx((4.9, 5.4))  # Delta is in Alpha now
    assert epci.camera_count == 2  # Alpha's and Gamma's, not Epsilon's
    assert Place.objects.get(kind="departement", code="01").camera_count == 3
    assert Place.objects.get(kind="region", code="84").camera_count == 3
    assert ImportRun.objects.filter(kind="epci").exists()


def test_its_page_lists_its_communes_and_a_commune_links_to_it(epci, client):
    page = client.get(epci.get_absolute_url()).content.decode()
    assert "Alpha" in page and "Gamma" in page and "Epsilon" not in page
    assert "2 caméras cartographiées" in page and re.search(r"Habitants</dt><dd>1\W500", page)

    alpha = client.get(reverse("observatory:place", args=["commune", "01001"])).content.decode()
    assert epci.get_absolute_url() in alpha

    cameras = client.get(reverse("observatory:place_download",
                                 args=["epci", "200000001", "cameras", "csv"]))  # fmt: skip
    rows = b"".join(cameras.streaming_content).decode().splitlines()
    assert len(rows) == 3  # the header and Alpha's and Gamma's cameras


def test_a_newer_table_moves_communes_and_a_bad_file_changes_nothing(epci, tmp_path):
    newer = write_table(tmp_path, "01001;Alpha;200000001;CC Alpha;01;84\n", "newer.csv")
    call_command("import_epci", newer)
    epci.refresh_from_db()
    assert epci.name == "CC Alpha" and epci.camera_count == 1
    assert Place.objects.get(code="01003").epci is None

    for content in ["CODGEO;NOM\n01001;Alpha\n", HEADER + "01999;X;200000003;CC X;01;84\n"]:
        bad = tmp_path / "bad.csv"
        bad.write_text(content)
        with pytest.raises(CommandError, match="nothing was changed"):
            call_command("import_epci", bad)
    assert Place.objects.filter(kind="epci").count() == 1
    assert Place.objects.get(code="01001").epci == epci


def test_etalabs_json_list_is_read_too(place_files, tmp_path, capsys):
    """The shape of epci.json in npm's @etalab/decoupage-administratif."""
    import_places(place_files)
    path = tmp_path / "epci.json"
    path.write_text(json.dumps([
        {"code": "200000001", "nom": "CA Alpha", "type": "CA",
         "membres": [{"code": "01001", "nom": "Alpha"}, {"code": "01003", "nom": "Gamma"}]},
        {"code": "200000002", "nom": "CC Ailleurs", "membres": [{"code": "99999"}]},
    ]))  # fmt: skip

    call_command("import_epci", path)

    assert "item 2: commune '99999' unknown" in capsys.readouterr().out
    assert Place.objects.get(kind="epci").member_communes.count() == 2
    path.write_text(json.dumps({"type": "FeatureCollection"}))
    with pytest.raises(CommandError, match="a list of intercommunalités expected"):
        call_command("import_epci", path)
