"""Entering paper mandates in the console: sealed, counted, logged, and never shown."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from recours.console.models import ActivityEntry
from recours.console.tests.conftest import member_client, text
from recours.core.crypto import unseal
from recours.mandates.models import Mandate
from recours.mandates.tests.test_paper import scan_pdf, scan_png
from recours.testing import queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def organiser(people):
    return member_client(people["organiser"])


def form_data(campaign, **overrides):
    version = {v.kind: v.pk for v in campaign.versions.all()}
    data = {
        "texts": f"{version['complaint']}-{version['mandate']}",
        "surname": "Martin",
        "given_names": "Jeanne",
        "postal_address": "4 rue du Port\n56100 Lorient",
        "email": "",
        "signed_on": timezone.localdate().isoformat(),
        "language": "fr",
        "scan": SimpleUploadedFile("scan.png", scan_png(), "image/png"),
        "checked": "on",
    }
    return {key: value for key, value in (data | overrides).items() if value is not None}


def test_an_organiser_enters_a_paper_mandate_and_sees_no_one(
    organiser, campaign, people, private_key
):
    url = f"/console/campagnes/{campaign.slug}/mandats-papier/"
    page = organiser.get(url)
    assert page.status_code == 200 and "P1-M1" in text(page)

    response = organiser.post(url, form_data(campaign))
    assert response.status_code == 302 and "enregistre=0" in response["Location"]
    mandate = Mandate.objects.get()
    assert mandate.confirmation_method == "paper"
    assert unseal(private_key, bytes(mandate.sealed_identity))["surname"] == "Martin"
    campaign.refresh_from_db()
    assert campaign.confirmed_count == 1
    entry = ActivityEntry.objects.get(action="paper.entered")
    assert entry.details == {"log_position": 0} and "Martin" not in repr(entry.__dict__)

    after = organiser.get(response["Location"])
    assert "1 mandat papier" in text(after) and "position 0" in text(after)
    assert "Martin" not in text(after) and "Lorient" not in text(after)


def test_a_pdf_scan_and_an_email_send_the_withdrawal_link(organiser, campaign):
    url = f"/console/campagnes/{campaign.slug}/mandats-papier/"
    data = form_data(
        campaign,
        email="jeanne@example.org",
        language="en",
        scan=SimpleUploadedFile("scan.pdf", scan_pdf(), "application/pdf"),
    )
    assert organiser.post(url, data).status_code == 302
    (mail,) = queued_mails("paper-recorded")
    assert mail.to == "jeanne@example.org"
    assert "paper mandate" in mail.subject.lower()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"surname": "Martin<script>"}, "lettres"),
        ({"scan": None}, "obligatoire"),
        ({"checked": None}, "obligatoire"),
        ({"texts": "999-999"}, "Sélectionnez un choix valide"),
        ({"signed_on": "2001-01-01"}, "date de signature"),
        ({"email": "pas-une-adresse"}, "adresse"),
    ],
    ids=["name", "no-scan", "unchecked", "unknown-texts", "date", "email"],
)
def test_bad_input_is_400_and_nothing_is_stored(organiser, campaign, overrides, field_message):
    url = f"/console/campagnes/{campaign.slug}/mandats-papier/"
    response = organiser.post(url, form_data(campaign, **overrides))
    assert response.status_code == 400
    assert field_message in text(response)
    assert Mandate.objects.count() == 0
    assert not ActivityEntry.objects.filter(action="paper.entered").exists()


def test_a_text_file_named_png_is_refused(organiser, campaign):
    url = f"/console/campagnes/{campaign.slug}/mandats-papier/"
    fake = SimpleUploadedFile("scan.png", b"Signature : Jeanne Martin", "image/png")
    response = organiser.post(url, form_data(campaign, scan=fake))
    assert response.status_code == 400
    assert "pas un scan lisible" in text(response)
    assert Mandate.objects.count() == 0


def test_a_duplicate_email_is_refused_with_the_field_named(organiser, campaign):
    url = f"/console/campagnes/{campaign.slug}/mandats-papier/"
    organiser.post(url, form_data(campaign, email="jeanne@example.org"))
    response = organiser.post(url, form_data(campaign, email="Jeanne@example.org"))
    assert response.status_code == 400
    assert "déjà un mandat" in text(response)
    assert Mandate.objects.count() == 1
