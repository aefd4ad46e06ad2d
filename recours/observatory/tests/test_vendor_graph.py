"""Vendor–commune leads from a relation graph, matched to INSEE communes by name."""

import pytest
from django.core.management import CommandError, call_command

from recours.observatory.models import Claim, Place

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

GRAPH = """\
#TYPE_EDGE;NODE1;NODE2;LIEN;SOURCE;
EDGE;ACME VISION;VSA;fonctionnalité;https://acme.example/produits
EDGE;ACME VISION;ville de Nîmes;a pour client;https://acme.example/references
EDGE;ACME VISION;ville de Nime;a pour client;https://press.example/article
EDGE;ACME VISION;ville de Saint­-Etienne;est utilisé par;https://press.example/se
EDGE;ACME VISION;ville de Valence;a pour client;https://acme.example/references
EDGE;ACME VISION;RATP;a pour client;https://acme.example/references
EDGE;ACME VISION;Communauté de communes de Nantes;a pour client;https://acme.example/references
EDGE;ACME VISION;ville de Chartres Métropole;a pour client;https://acme.example/references
EDGE;ACME VISION;Communauté de commune de Versailles;a pour client;https://acme.example/references
EDGE;ACME VISION;AN2V;est membre;https://an2v.example/membres
"""


@pytest.fixture
def communes(db):
    for code, name in [("30189", "Nîmes"), ("42218", "Saint-Étienne"),
                       ("26362", "Valence"), ("82186", "Valence")]:  # fmt: skip
        Place.objects.create(kind="commune", code=code, name=name)
    for code, name in [("244400404", "Nantes Métropole"), ("200033193", "CA Chartres Métropole"),
                       ("241100000", "CA Valence"),
                       ("247800584", "CA Versailles Grand Parc (C.A.V.G.P.)")]:  # fmt: skip
        Place.objects.create(kind="epci", code=code, name=name)


def test_leads_are_matched_by_name_and_the_rest_reported(communes, tmp_path, capsys):
    path = tmp_path / "relations.csv"
    path.write_text(GRAPH)

    call_command("import_vendor_graph", path)

    out = capsys.readouterr().out
    claims = Claim.objects.order_by("place__code")
    assert [(c.place.code, c.technology, c.confidence) for c in claims] == [
        ("200033193", "vsa", "rumour"),  # "ville de Chartres Métropole": the agglomeration
        ("244400404", "vsa", "rumour"),  # "Communauté de communes de Nantes": the métropole
        ("30189", "vsa", "rumour"),  # "Nîmes" and the misspelt "Nime": one claim, two sources
        ("42218", "vsa", "rumour"),  # a soft hyphen and no accent
    ]
    assert claims[2].evidence.count() == 2
    # Not guessed, and not given to the intercommunalité "CA Valence" either.
    assert out.splitlines() == [
        "4 claims imported; 3 rows not imported",
        "  set aside: row 5: 'ville de Valence': several communes have that name "
        "(26362, 82186): not guessed",
        "  set aside: row 6: 'RATP': is not a commune or an intercommunalité",
        "  set aside: row 9: 'Communauté de commune de Versailles': no intercommunalité of "
        "that name",
    ]
    call_command("import_vendor_graph", path)  # again: nothing doubles
    assert Claim.objects.count() == 4


def test_a_file_without_relations_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("#TYPE_EDGE;NODE1;NODE2;LIEN;SOURCE;\n")

    with pytest.raises(CommandError, match="no EDGE"):
        call_command("import_vendor_graph", path)


def test_each_cited_page_is_its_own_source_and_the_summary_is_a_sentence(
    communes, tmp_path, client
):
    path = tmp_path / "relations.csv"
    path.write_text(
        "#TYPE_EDGE;NODE1;NODE2;LIEN;SOURCE;\n"
        "EDGE;ACME VISION;ville de Nîmes;a pour client;"
        "https://acme.example/references|https://senat.example/rapport#fn22\n"
    )

    call_command("import_vendor_graph", path)

    claim = Claim.objects.get()
    assert sorted(claim.evidence.values_list("url", flat=True)) == [
        "https://acme.example/references", "https://senat.example/rapport#fn22",
    ]  # fmt: skip
    assert claim.summary.startswith("Selon la cartographie Technopolice, Nîmes figure parmi")
    page = client.get(claim.place.get_absolute_url()).content.decode()
    assert "arnaudmolo" not in page.split('<ul class="sources">')[0]  # not as prose
    assert page.count('href="https://acme.example/references"') == 1
