"""Claims and funding from CSV: good rows in, every bad row reported with its reason."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from recours.observatory.models import Claim, Funding, Place

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CLAIMS = """\
insee_code;technology;vendor;operator;status;started_on;quantity;confidence;summary;evidence_kind;evidence_title;evidence_url
06088;vsa;Two-i;municipal_police;trial;2023-04-01;;press;Essai de VSA.;web_page;Article;https://press.example/nice
01002;cctv;;municipal_police;in_service;;42;official;Caméras.;document;Délibération;https://mairie.example/deliberation.pdf
99999;cctv;;;in_service;;;official;Nulle part.;;;
06088;laser;;;in_service;;;official;Technologie inconnue.;;;
06088;cctv;;;in_service;le 3 mai;-4;maybe;Mauvaises valeurs.;;;
"""


@pytest.fixture
def places(db):
    nice = Place.objects.create(kind="commune", code="06088", name="Nice")
    alpha = Place.objects.create(kind="commune", code="01001", name="Alpha")
    Place.objects.create(kind="commune", code="01002", name="Beta", merged_into=alpha)
    return nice, alpha


def test_claims_with_evidence_and_a_report_of_every_rejected_row(places, tmp_path, capsys):
    nice, alpha = places
    path = tmp_path / "claims.csv"
    path.write_text(CLAIMS)

    call_command("import_table", "claims", path)

    assert capsys.readouterr().out.splitlines() == [
        "2 rows imported; 3 rows rejected",
        "  set aside: line 4: insee_code: no place with INSEE code '99999'",
        "  set aside: line 5: technology: Sélectionnez un choix valide. laser n’en fait pas "
        "partie.",
        "  set aside: line 6: started_on: Saisissez une date valide.; quantity: Assurez-vous "
        "que cette valeur est supérieure ou égale à 0.; confidence: Sélectionnez un choix "
        "valide. maybe n’en fait pas partie.",
    ]
    vsa = Claim.objects.get(place=nice)
    assert (vsa.vendor.name, vsa.status, vsa.evidence.get().url) == (
        "Two-i", "trial", "https://press.example/nice",
    )  # fmt: skip
    assert Claim.objects.get(technology="cctv").place == alpha  # the old code's new commune


def test_funding_rows(places, tmp_path):
    path = tmp_path / "funding.csv"
    path.write_text(
        "insee_code,programme,year,amount_eur,purpose\n"
        "06088,fipd,2022,150000.50,Caméras\n"
        "06088,fipd,1850,10,Trop tôt\n"
    )

    call_command("import_table", "funding", path)

    assert Funding.objects.get().amount_eur == Decimal("150000.50")


def test_a_file_with_no_good_row_changes_nothing(places, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("insee_code;technology;status;confidence\n99999;cctv;in_service;press\n")

    with pytest.raises(CommandError, match="no row could be imported"):
        call_command("import_table", "claims", path)
    with pytest.raises(CommandError, match="missing column"):
        path.write_text("code;what\n06088;cctv\n")
        call_command("import_table", "claims", path)
    assert not Claim.objects.exists()
