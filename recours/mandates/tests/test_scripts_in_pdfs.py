"""A name in any script the sign form takes is drawn, and reads back as text, in the
annex and in the signer's own mandate (the CSV always had it right)."""

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from recours.campaigns.domain import published_texts
from recours.core.keyshares import split_private_key
from recours.mandates import domain
from recours.mandates.dossier.build import build_dossier
from recours.mandates.identity import SignerIdentity
from recours.testing import (
    NAMES_IN_EVERY_SCRIPT,
    link_from,
    name_words,
    pdf_missing_glyphs,
    queued_mails,
    readable,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def dossier(campaign, private_key, tmp_path):
    for number, (given, surname) in enumerate(NAMES_IN_EVERY_SCRIPT.values()):
        domain.sign_mandate(
            campaign=campaign,
            identity=SignerIdentity(
                given, surname, f"signer{number}@example.org", "1 rue Haute\n29200 Brest"
            ),
            texts=published_texts(campaign),
            language="fr",
        )
        body = queued_mails()[-1].body_text
        domain.confirm_mandate(token=link_from(body, "/confirmer/").split("/")[-2])
    export = tmp_path / "export.json"
    call_command("export_sealed", campaign.slug, "--out", str(export))
    shares = split_private_key(
        private_key, campaign=campaign.slug, public_key=campaign.public_key, threshold=1, count=1
    )
    out = tmp_path / "dossier"
    build_dossier(export_path=export, shares=shares, out_dir=out, per_signer=True)
    return out


def test_every_script_is_drawn_in_the_annex_and_in_each_mandate(dossier):
    annex = dossier / "mandataires.pdf"
    mandates = sorted((dossier / "mandats").glob("mandat-*.pdf"))

    assert pdf_missing_glyphs(annex) == 0
    assert [pdf_missing_glyphs(path) for path in mandates] == [0] * len(NAMES_IN_EVERY_SCRIPT)
    annex_text = readable("".join(page.extract_text() for page in PdfReader(annex).pages))
    for path, (script, (given, surname)) in zip(
        mandates, NAMES_IN_EVERY_SCRIPT.items(), strict=True
    ):
        mandate_text = readable(PdfReader(path).pages[0].extract_text())
        for word in name_words(given, surname):
            assert word in annex_text, script
            assert word in mandate_text, script
