"""Real French data (issue 15): full commune names, search as people type, the dated
OpenStreetMap layer of 2011 and the declared counts of 2009-2011, ranked with sense."""

import json
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from recours.observatory.measures import RANKED_POPULATION, top_communes
from recours.observatory.models import Claim, ImportRun, InventoryEntry, OsmCamera, Place
from recours.observatory.tests.geo import import_places

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

OWNI_HEADER = "insee_com,cameras,comment,source_title_1,source_url_1,source_title_2,source_url_2\n"


def test_communes_take_their_full_official_name_with_its_article(place_files):
    insee = place_files / "insee" / "communes.csv"
    insee.write_text(
        insee.read_text()
        .replace("commune,code_postal", "commune,commune_article,code_postal")
        .replace("01001,84,01,Alpha,", "01001,84,01,Alpha,L'Alpha,")
        .replace("01003,84,01,Gamma,", "01003,84,01,Gamma,Le Gamma,")
        .replace("01002,84,01,Beta,", "01002,84,01,Beta,La Beta,")
    )

    import_places(place_files)

    assert Place.objects.get(code="01001").name == "L'Alpha"
    assert Place.objects.get(code="01003").name == "Le Gamma"
    assert Place.objects.get(code="01002").name == "La Beta"  # merged, still named in full
    assert Place.objects.get(code="01003").search_name == "gamma"


@pytest.mark.parametrize("typed", ["Le Mans", "le mans", "LE MANS", "Mans", "le-mans"])
def test_the_city_comes_before_the_villages_that_contain_its_name(client, typed):
    for code, name, population in [
        ("72181", "Le Mans", 145_000),
        ("72999", "Mansigné", 1_500),
        ("01999", "Le Mans-Village", 300),
        ("26999", "Romans-sur-Isère", 33_000),
    ]:
        Place.objects.create(kind="commune", code=code, name=name, population=population)

    response = client.get(reverse("observatory:search"), {"q": typed})

    assert response.status_code == 302 and response["Location"].endswith("/commune/72181/")


def test_two_communes_of_one_name_are_listed_the_larger_first(client):
    Place.objects.create(kind="commune", code="70451", name="La Rochelle", population=80)
    Place.objects.create(kind="commune", code="17300", name="La Rochelle", population=77_000)

    page = client.get(reverse("observatory:search"), {"q": "la rochelle"}).content.decode()
    api = client.get("/api/observatoire/places", {"q": "rochelle"}).json()

    assert page.index("17300") < page.index("70451")
    assert [place["code"] for place in api["items"]] == ["17300", "70451"]


def test_an_old_extract_is_dated_and_keeps_its_licence(place_files, tmp_path, client):
    import_places(place_files)
    extract = tmp_path / "old.osm"
    extract.write_text(
        '<?xml version="1.0"?><osm version="0.6">'
        '<node id="7" lat="45.05" lon="5.05"><tag k="man_made" v="surveillance"/></node></osm>'
    )

    call_command("import_osm_cameras", extract, "--data-date", "2011-04-01",
                 "--licence", "© OpenStreetMap contributors, CC BY-SA 2.0")  # fmt: skip

    layer = ImportRun.objects.get(kind="osm-cameras")
    assert (layer.data_date, OsmCamera.objects.count()) == (date(2011, 4, 1), 1)
    alpha = client.get(reverse("observatory:place", args=["commune", "01001"])).content.decode()
    assert "Données OpenStreetMap relevées en avril 2011" in alpha
    assert "CC BY-SA 2.0" in alpha
    rows = client.get(reverse("observatory:download", args=["cameras", "geojson"]))
    assert json.loads(b"".join(rows.streaming_content))["licence"].endswith("CC BY-SA 2.0")
    index = client.get(reverse("observatory:index")).content.decode()
    assert "caméra cartographiée dans OpenStreetMap" in index  # one camera: singular


def test_declared_counts_become_claims_with_their_sources(place_files, tmp_path, capsys):
    import_places(place_files)
    path = tmp_path / "owni.csv"
    path.write_text(
        OWNI_HEADER
        + "01002,12,Coût : 90 000 €,La Dépêche (2009),http://www.ladepeche.fr/article/2009/11/06/1-a.html,"
        "Rapport du ministère (juillet 2009),http://example.org/rapport\n"  # merged into 01001
        "01003,0,,Site internet de la ville,http://example.org/gamma,,\n"  # none declared
        "01005,4,,,,,\n"  # no source
        "99999,3,,Le Télégramme (2010),http://example.org/x,,\n"  # no such commune
        "01888,5,,Le Progrès (2010),http://example.org/y,,\n"  # merged before the outlines
    )
    mergers = tmp_path / "mergers.csv"
    mergers.write_text("old_code,new_code\n01888,01003\n")

    call_command("import_owni_counts", path, "--mergers", mergers)
    call_command("import_owni_counts", path, "--mergers", mergers)  # again: nothing twice

    assert Claim.objects.get(quantity=5).place.code == "01003"
    claim = Claim.objects.get(quantity=12)
    assert (claim.place.code, claim.quantity, claim.confidence) == ("01001", 12, "official")
    assert "Coût : 90 000 €" in claim.summary and "OWNI" in claim.summary
    evidence = {e.title: e.published_on for e in claim.evidence.all()}
    assert evidence == {
        "La Dépêche (2009)": date(2009, 11, 6),
        "Rapport du ministère (juillet 2009)": None,
    }
    out = capsys.readouterr().out
    assert "2 declared counts imported as deployments, 0 already there; 3 set aside" in out
    assert "01003 declared no camera" in out and "01005 has no source" in out and "'99999'" in out


def test_a_file_with_no_usable_count_changes_nothing(place_files, tmp_path):
    import_places(place_files)
    path = tmp_path / "owni.csv"
    path.write_text(OWNI_HEADER + "01003,0,,,,,\n")

    with pytest.raises(CommandError, match="no count could be imported"):
        call_command("import_owni_counts", path)
    assert not Claim.objects.exists() and not ImportRun.objects.filter(kind="owni-counts").exists()


def test_communes_en_tete_rank_by_rate_among_towns_not_villages():
    paris = Place.objects.create(kind="commune", code="75056", name="Paris", population=2_100_000)
    village = Place.objects.create(kind="commune", code="01999", name="Hameau", population=60)
    town = Place.objects.create(
        kind="commune", code="02999", name="Bourg", population=RANKED_POPULATION
    )
    for place, cameras in [(paris, 1500), (village, 1), (town, 5)]:
        Claim.objects.create(place=place, technology="cctv", status="in_service", quantity=cameras,
                             confidence="official")  # fmt: skip

    top = top_communes(order="cameras")

    assert [row.name for row in top] == ["Paris", "Bourg"]
    assert top[0].cameras_source == "declared"


def test_a_place_page_draws_its_outline_and_cameras_without_tiles(client, record):
    permit = Claim.objects.create(place=record, technology="cctv", status="in_service",
                                  confidence="official")  # fmt: skip
    InventoryEntry.objects.create(claim=permit, reference="N-1", location_text="Place Masséna",
                                  precision="crossing", lon=7.25, lat=43.68)  # fmt: skip

    page = client.get(record.get_absolute_url()).content.decode()

    svg = page[page.index('<svg class="place-map"') : page.index("</svg>")]
    assert svg.count('class="place-map__osm"') == 3
    assert svg.count('class="place-map__authorised"') == 1
    assert '<title id="place-map-title">Contour de Nice ; 3 caméras OpenStreetMap' in svg
    assert "video_commune=Nice" in page  # the footage letter, offered here


def test_a_departement_groups_its_communes_by_intercommunalite(client, record):
    departement = record.parent
    metropole = Place.objects.create(
        kind="epci", code="200030195", name="Métropole Nice Côte d'Azur"
    )
    Place.objects.filter(code="06088").update(epci=metropole)
    Place.objects.create(
        kind="commune", code="06004", name="Le Broc", parent=departement, epci=metropole
    )

    page = client.get(departement.get_absolute_url()).content.decode()

    groups = re.findall(r"<summary>(.*?) <span", page)
    assert groups == ["Métropole Nice Côte d&#x27;Azur", "Communes sans intercommunalité"]
    metropole_list = page[page.index("Métropole Nice") : page.index("Communes sans")]
    assert metropole_list.index(">Le Broc<") < metropole_list.index(">Nice<")  # B before N
    assert "3 communes, par intercommunalité" in page
