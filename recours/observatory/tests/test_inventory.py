"""The Paris 2019 authorisations (an official inventory), from the real files shipped
in the demo extract, and the demo's filled observatory."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from recours.observatory.models import Claim, InventoryEntry, OsmCamera, Place

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
ANNEXES = {
    "annex1": DEMO / "paris-2019-annexe1-prefecture-police.csv",
    "annex2": DEMO / "paris-2019-annexe2-ville-de-paris.csv",
    "geocoded": DEMO / "paris-2019-cameras-geocoded.csv",
}


@pytest.fixture
def paris(db):
    return Place.objects.create(kind="commune", code="75056", name="Paris", population=2133111)


def test_the_paris_authorisations_become_two_official_claims_with_every_location(
    client, paris, capsys
):
    call_command("import_paris_inventory", **ANNEXES)

    out = capsys.readouterr().out
    assert out.startswith("2281 authorised locations imported, 1166 with a position")
    assert "line 62: date 'Début 2019' kept as text" in out
    prefecture, city = Claim.objects.filter(place=paris).order_by("pk")
    assert (prefecture.quantity, city.quantity) == (1391, 890)
    assert prefecture.confidence == "official" and prefecture.operator == "prefecture"
    assert "BOVP" in prefecture.evidence.get().notes
    entry = prefecture.inventory.get(reference="1051")
    assert (entry.postcode, entry.precision, str(entry.commissioned_on)) == (
        "75001", "crossing", "2016-07-08",
    )  # fmt: skip
    assert (entry.lon, entry.lat) == (2.34750188, 48.85875016)
    assert prefecture.inventory.get(reference="1058").commissioned_on is None  # "inconnue"

    call_command("import_paris_inventory", **ANNEXES)  # again: replaced, not doubled
    assert InventoryEntry.objects.count() == 2281 and Claim.objects.count() == 2

    page = client.get(reverse("observatory:inventory", args=[prefecture.pk])).content.decode()
    assert "Jardin des Halles, Colonne Médicis" in page
    assert "1\xa0391 emplacements" in page and "Page 1 sur 7" in page


def test_an_unreadable_inventory_changes_nothing(paris, tmp_path):
    call_command("import_paris_inventory", **ANNEXES)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b,c\n1,2,3\n")

    with pytest.raises(CommandError, match="missing"):
        call_command("import_paris_inventory", annex1=wrong)
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_paris_inventory", annex1=tmp_path / "absent.csv")
    assert InventoryEntry.objects.count() == 2281


def test_place_page_counts_declared_cameras(client, paris):
    call_command("import_paris_inventory", **ANNEXES)

    page = client.get(paris.get_absolute_url()).content.decode()

    assert "Les documents recensés ci-dessous en déclarent 1\xa0391." in page
    assert "Pour 1 000 habitants : 0,65." in page  # 1,391 for 2,133,111 people
    assert "Liste des emplacements autorisés" in page


def test_search_ignores_accents_and_hyphens(client, db):
    Place.objects.create(kind="commune", code="42218", name="Saint-Étienne", postcodes="42000")

    response = client.get(reverse("observatory:search"), {"q": "saint etienne"})

    assert response.status_code == 302 and response["Location"].endswith("/42218/")


def test_the_demo_fills_the_observatory_from_the_projects_own_extract(client, db):
    call_command("seed_observatory_demo")

    assert Place.objects.filter(kind="commune").count() > 34000
    assert Claim.objects.filter(technology="vsa").count() > 10
    nice = client.get(reverse("observatory:place", args=["commune", "06088"])).content.decode()
    assert "WINTICS" in nice and "technopolice" in nice.lower()
    assert "Métropole Nice Côte d&#x27;Azur" in nice  # its intercommunalité
    assert Place.objects.filter(kind="epci").count() > 1200
    # The full official names, found as people type them (issue 15).
    names = dict(
        Place.objects.filter(code__in=["76351", "17300", "72181", "85194"]).values_list(
            "code", "name"
        )
    )
    assert names == {"76351": "Le Havre", "17300": "La Rochelle", "72181": "Le Mans",
                     "85194": "Les Sables-d'Olonne"}  # fmt: skip
    for typed, code in [("le mans", "72181"), ("LA ROCHELLE", "17300"), ("Havre", "76351"),
                        ("les sables d olonne", "85194")]:  # fmt: skip
        found = client.get(reverse("observatory:search"), {"q": typed})
        first = found["Location"] if found.status_code == 302 else re.search(
            r'résultats?</h2>\s*<ul><li><a href="([^"]+)"', found.content.decode()
        ).group(1)  # fmt: skip
        assert first.endswith(f"/commune/{code}/"), typed
    # France's OpenStreetMap cameras of April 2011, dated and under their licence.
    assert OsmCamera.objects.count() == 1108
    index = client.get(reverse("observatory:index")).content.decode()
    assert "1 074 caméras cartographiées dans OpenStreetMap (en avril 2011)" in " ".join(
        re.sub("<[^>]+>", "", index).split()
    )
    downloads = client.get(reverse("observatory:downloads")).content.decode()
    assert "CC BY-SA 2.0 (data of April 2011)" in downloads and "OWNI" in downloads
    # The communes' declared counts of 2009-2011, each with its sources.
    owni = Claim.objects.filter(summary__contains="OWNI")
    assert owni.count() == 170
    assert owni.filter(place__code="74010").exists()  # Seynod (74268) is part of Annecy today
    agde = owni.get(place__code="34003")
    assert agde.quantity == 20 and agde.confidence == "official"
    assert sorted(agde.evidence.values_list("title", flat=True)) == [
        "Rapport sur l'efficacité de la vidéoprotection, ministère de l'intérieur (juillet 2009)",
        "Site internet de la ville",
    ]
    call_command("seed_observatory_demo")  # a second run leaves it as it is
    assert OsmCamera.objects.count() == 1108 and owni.count() == 170
