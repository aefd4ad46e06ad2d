"""Document requests (CADA): the letter, the deadlines of the procedure, and answers
filed as evidence."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from recours.observatory.cada import deadlines
from recours.observatory.models import Claim, DocumentRequest
from recours.observatory.moderation import answer_as_evidence

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def letter_form(**overrides):
    return {"documents": ["authorisations", "contracts", "impact"], "name": "Camille Martin",
            "address": "3 rue du Port\n06300 Nice", "email": "camille@example.org",
            "letter_place": "Nice", "letter_date": "2026-11-02", **overrides}  # fmt: skip


def test_the_letter_asks_the_mairie_under_the_crpa_and_nothing_is_stored(client, record):
    url = reverse("observatory:request_letter", args=["commune", "06088"])
    assert client.get(url).status_code == 200

    page = client.post(url, letter_form()).content.decode()

    assert "Mairie de Nice" in page
    assert "L. 311-1" in page and "R. 311-13" in page
    assert "arrêtés préfectoraux autorisant" in page and "analyses d&#x27;impact" in page
    assert "marchés publics" in page and "délibérations" not in page
    assert "camille@example.org" in page  # sent by e-mail (L. 311-9)
    assert "2 décembre 2026" in page  # a month after the letter
    assert DocumentRequest.objects.count() == 0

    pdf = client.post(url, letter_form(action="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ics = client.post(url, letter_form(action="ics")).content.decode()
    assert "DTSTART;VALUE=DATE:20261202" in ics


def test_an_incomplete_letter_form_says_what_is_missing(client, record):
    url = reverse("observatory:request_letter", args=["commune", "06088"])
    response = client.post(url, letter_form(documents=[], name=""))

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert (
        client.get(reverse("observatory:request_letter", args=["departement", "06"])).status_code
        == 404
    )


def test_deadlines_follow_the_procedure(record):
    sent = DocumentRequest(place=record, sent_on=date(2026, 1, 31))
    assert [(s.day, s.passed) for s in deadlines(sent, today=date(2026, 2, 15))] == [
        (date(2026, 2, 28), False),  # silence is a refusal a month after (R. 311-13)
        (date(2026, 4, 28), False),  # then two months to refer to the CADA (R. 343-1)
    ]

    referred = DocumentRequest(place=record, sent_on=date(2026, 1, 5), status="referred",
                               referred_on=date(2026, 3, 10))  # fmt: skip
    steps = [(s.day, str(s.title)) for s in deadlines(referred, today=date(2026, 3, 20))]
    assert steps == [
        (date(2026, 4, 10), "Avis attendu de la CADA (R. 343-3)"),
        (date(2026, 5, 10), "Sans communication, le refus est confirmé (R. 343-5)"),
        (date(2026, 7, 10), "Dernier jour pour saisir le tribunal administratif (R. 421-1 CJA)"),
    ]
    answered = DocumentRequest(place=record, sent_on=date(2026, 1, 5), status="answered",
                               answered_on=date(2026, 1, 20))  # fmt: skip
    assert deadlines(answered, today=date(2026, 3, 1)) == []


def test_a_tracked_request_shows_on_the_place_page_and_its_answer_becomes_evidence(client, record):
    claim = record.claims.get()
    request = DocumentRequest.objects.create(
        place=record, sent_on=date(2026, 1, 5), status="answered", answered_on=date(2026, 2, 1),
        requested_by="Association Vigie", documents=["contracts"], claim=claim,
    )  # fmt: skip
    request.answer.save("reponse.pdf", ContentFile(b"%PDF-1.4 contract"))

    page = client.get(record.get_absolute_url()).content.decode()
    assert "Réponse reçue" in page and "Association Vigie" in page

    evidence = answer_as_evidence(request, claim, by="mod")

    assert evidence.kind == "document_request" and evidence.copy.read() == b"%PDF-1.4 contract"
    claim.refresh_from_db()
    assert claim.confidence == Claim.Confidence.DOCUMENT_REQUEST  # was "press"
    assert claim.changes.get().changes == {"confidence": ["press", "document_request"]}


def test_the_letter_form_is_dated_today_in_french_and_its_pdf_has_no_empty_heading(client, record):
    import io
    import re

    from django.utils import timezone
    from pypdf import PdfReader

    url = reverse("observatory:request_letter", args=["commune", "06088"])

    form = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    pdf = client.post(url, letter_form(action="pdf")).content
    text = client.post(url, letter_form(action="txt")).content.decode()

    # A date input reads ISO dates only: "29/11/2026" left the field empty in French.
    assert re.search(r'name="letter_date" value="([^"]*)"', form).group(1) == (
        timezone.localdate().isoformat()
    )
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Pièces jointes" not in words
    assert "Pièces jointes" not in text
    assert text.rstrip().endswith("Camille Martin\n(signature)")
