import pytest
from django.urls import reverse

from recours.core.mail import send_due_emails
from recours.mandates.models import Mandate, SignerUpdate
from recours.mandates.updates import UpdateAlreadySent, send_signer_update
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def sign_and_confirm(client, campaign, sign_data, **overrides):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data(**overrides))
    client.post(link_from(queued_mails("confirm")[-1].body_text, "/confirmer/"))


def test_only_signers_who_asked_get_news_and_can_stop_them(client, campaign, sign_data, mailoutbox):
    sign_and_confirm(client, campaign, sign_data, email="news@example.org", contact_updates="on")
    sign_and_confirm(client, campaign, sign_data, email="quiet@example.org")
    send_due_emails()
    mailoutbox.clear()
    update = SignerUpdate.objects.create(
        campaign=campaign, subject="La plainte est déposée", body="Déposée **hier**."
    )

    assert send_signer_update(update=update) == 1
    send_due_emails()

    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["news@example.org"], "La plainte est déposée")
    assert "Déposée **hier**." in mail.body
    with pytest.raises(UpdateAlreadySent):
        send_signer_update(update=update)

    stop = link_from(mail.body, "/nouvelles/stop/")
    assert client.get(stop).status_code == 200
    client.post(stop)
    assert Mandate.objects.filter(contact_sealed__isnull=False).count() == 0
    assert Mandate.objects.filter(status="confirmed").count() == 2


def test_without_the_choice_nothing_the_server_can_read_is_kept(client, campaign, sign_data):
    sign_and_confirm(client, campaign, sign_data)

    assert Mandate.objects.get().contact_sealed is None


def test_without_a_contact_key_the_choice_is_not_offered(client, campaign, settings):
    settings.CONTACT_KEY = ""

    page = client.get(campaign.get_absolute_url()).content.decode()

    assert "contact_updates" not in page
