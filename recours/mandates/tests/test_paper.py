"""Paper mandates: the printable form, and the entry of a signed form by an organiser."""

import base64
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter

from recours.campaigns.domain import publish_text_versions, published_texts
from recours.campaigns.models import Campaign, Tally
from recours.core.crypto import sha256_hex, unseal
from recours.mandates import domain, paper
from recours.mandates.digests import evidence_digest_of
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import LogEntry, Mandate
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NO_EMAIL = SignerIdentity("Jeanne", "Martin", "", "4 rue du Port\n56100 Lorient")


def scan_png(width=620, height=877) -> bytes:
    """A small stand-in for a scanned A4 page."""
    out = io.BytesIO()
    Image.new("L", (width, height), 250).save(out, format="PNG")
    return out.getvalue()


def scan_pdf(pages=2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def texts_of(campaign):
    return paper.texts_in_force(campaign)[0]


def enter(campaign, identity=NO_EMAIL, scan=None, signed_on=None, texts=None):
    return paper.record_paper_mandate(
        campaign=campaign,
        identity=identity,
        texts=texts or texts_of(campaign),
        signed_on=signed_on or timezone.localdate(),
        scan=scan if scan is not None else scan_png(),
        language="fr",
    )


def state(campaign):
    campaign.refresh_from_db()
    return (
        Mandate.objects.count(),
        campaign.confirmed_count,
        LogEntry.objects.filter(campaign=campaign).count(),
        len(queued_mails()),
        sum(Tally.objects.filter(campaign=campaign).values_list("count", flat=True)),
    )


def test_the_form_carries_the_texts_their_hashes_and_where_to_send_it(campaign):
    texts = texts_of(campaign)
    pdf = PdfReader(io.BytesIO(paper.form_pdf(campaign, texts)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) <= 2
    assert "Je donne mandat." in text
    assert texts.complaint.sha256 in text.replace("\n", "")
    assert texts.mandate.sha256 in text.replace("\n", "")
    assert "P1-M1" in text
    assert "1 rue de l'Exemple" in text and "75011 Paris" in text
    assert "Signature" in text


def test_a_paper_mandate_is_sealed_with_its_scan_counted_and_logged(campaign, private_key):
    scan = scan_png()
    mandate = enter(campaign, scan=scan)
    mandate.refresh_from_db()  # the evidence holds for the times as stored and read back

    campaign.refresh_from_db()
    assert campaign.confirmed_count == 1
    assert mandate.status == Mandate.Status.CONFIRMED
    assert mandate.confirmation_method == "paper"
    assert LogEntry.objects.get(campaign=campaign).commitment == mandate.commitment
    identity = unseal(private_key, bytes(mandate.sealed_identity))
    assert identity["surname"] == "Martin" and identity["method"] == "paper"
    assert identity["signed_on"] == timezone.localdate().isoformat()
    assert identity["scan_sha256"] == sha256_hex(scan)
    sealed_scan = unseal(private_key, bytes(mandate.sealed_scan))
    assert base64.b64decode(sealed_scan["base64"]) == scan
    assert sealed_scan["type"] == "image/png"
    assert mandate.evidence_sha256 == evidence_digest_of(
        campaign=campaign.slug,
        complaint_sha256=mandate.complaint_version.sha256,
        mandate_sha256=mandate.mandate_version.sha256,
        sealed_sha256=sha256_hex(bytes(mandate.sealed_identity)),
        signed_at=mandate.signed_at.isoformat(),
        confirmed_at=mandate.confirmed_at.isoformat(),
        method="paper",
    )
    # Nothing readable: no name in any stored column.
    row = Mandate.objects.filter(pk=mandate.pk).values().get()
    assert "Martin" not in repr(row) and "Lorient" not in repr(row)
    assert queued_mails() == []  # no address, no mail
    counts = dict(Tally.objects.filter(campaign=campaign).values_list("metric", "count"))
    assert counts["paper"] == 1 and counts["confirmed"] == 1 and counts["signup"] == 1


def test_two_paper_mandates_without_email_are_both_kept(campaign):
    enter(campaign)
    enter(campaign)
    campaign.refresh_from_db()
    assert campaign.confirmed_count == 2
    assert paper.paper_count(campaign) == 2


def test_a_written_email_gets_the_withdrawal_link_and_deduplicates(campaign):
    identity = SignerIdentity("Jeanne", "Martin", "jeanne@example.org", "56100 Lorient")
    enter(campaign, identity=identity, scan=scan_pdf())
    (mail,) = queued_mails("paper-recorded")
    assert mail.to == "jeanne@example.org"
    manage = link_from(mail.body_text, "/mandat/").split("/")[-2]

    before = state(campaign)
    with pytest.raises(paper.PaperError, match="déjà un mandat") as error:
        enter(campaign, identity=identity)
    assert error.value.field == "email"
    assert state(campaign) == before

    outcome = domain.sign_mandate(
        campaign=campaign,
        identity=SignerIdentity("Jeanne", "Martin", "Jeanne@Example.org", ""),
        texts=published_texts(campaign),
        language="fr",
    )
    assert outcome is domain.SignOutcome.ALREADY_CONFIRMED

    withdrawn = domain.withdraw_mandate(token=manage)
    assert withdrawn.status == Mandate.Status.WITHDRAWN
    assert withdrawn.sealed_identity is None and withdrawn.sealed_scan is None
    campaign.refresh_from_db()
    assert campaign.confirmed_count == 0


def bomb_png() -> bytes:
    """A PNG whose header claims 20,000 × 20,000 pixels."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("L", (40, 40)).save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        (b"Nom : Martin\nSignature : oui\n", "pas un scan lisible"),
        (gif(), "pas un scan lisible"),
        (b"%PDF-1.7\n garbage", "pas un scan lisible"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "pas un scan lisible"),
        (encrypted_pdf(), "mot de passe"),
        (scan_pdf(pages=11), "de 1 à 10 pages"),
        (bomb_png(), "trop de pixels"),
    ],
    ids=["text", "gif", "broken-pdf", "broken-png", "encrypted", "eleven-pages", "bomb"],
)
def test_a_bad_scan_is_refused_and_nothing_is_stored(campaign, scan, message):
    before = state(campaign)
    with pytest.raises(paper.PaperError, match=message) as error:
        enter(campaign, scan=scan)
    assert error.value.field == "scan"
    assert state(campaign) == before


def test_an_oversized_scan_is_refused(campaign, settings):
    settings.PAPER_SCAN_MAX_SIZE = 1024 * 1024
    with pytest.raises(paper.PaperError, match="dépasse 1 Mo"):
        enter(campaign, scan=scan_png() + b"\x00" * (1024 * 1024))
    assert Mandate.objects.count() == 0


@pytest.mark.parametrize("days", [-3, 1])
def test_a_date_before_the_texts_or_in_the_future_is_refused(campaign, days):
    before = state(campaign)
    with pytest.raises(paper.PaperError, match="date de signature") as error:
        enter(campaign, signed_on=timezone.localdate() + timedelta(days=days))
    assert error.value.field == "signed_on"
    assert state(campaign) == before


def test_forms_arriving_after_the_closing_are_entered_until_the_filing(campaign):
    signed_on = timezone.localdate()
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    campaign.refresh_from_db()
    enter(campaign, signed_on=signed_on)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.FILED)
    campaign.refresh_from_db()
    with pytest.raises(paper.PaperError, match="ne reçoit plus"):
        enter(campaign, signed_on=signed_on)
    assert Mandate.objects.count() == 1


def test_each_pair_of_texts_in_force_is_offered_newest_first(campaign):
    first = texts_of(campaign)
    campaign.versions.update(published_at=timezone.now() - timedelta(days=1))
    campaign.mandate_text = "Je donne mandat, version 2."
    campaign.save()
    publish_text_versions(campaign=campaign)

    pairs = paper.texts_in_force(campaign)
    assert [pair.code for pair in pairs] == ["P1-M2", "P1-M1"]
    assert pairs[1].mandate.pk == first.mandate.pk
    mandate = enter(campaign, texts=pairs[1], signed_on=timezone.localdate() - timedelta(days=1))
    assert mandate.mandate_version_id == first.mandate.pk


def test_the_paper_page_links_the_form_and_the_campaign_page_links_it(client, campaign):
    page = client.get(f"/{campaign.slug}/")
    assert f'href="/{campaign.slug}/mandat-papier/"' in page.content.decode()
    response = client.get(f"/{campaign.slug}/mandat-papier/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/{campaign.slug}/mandat-papier.pdf"' in html
    assert "75011 Paris" in html and "contact@vigie.example" in html

    pdf = client.get(f"/{campaign.slug}/mandat-papier.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1


def test_no_form_once_the_campaign_is_closed(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    page = client.get(f"/{campaign.slug}/mandat-papier/")
    assert "mandat-papier.pdf" not in page.content.decode()
    assert client.get(f"/{campaign.slug}/mandat-papier.pdf").status_code == 409
