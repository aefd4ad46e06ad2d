import json

import pytest
from django.urls import reverse

from recours.core.mail import send_due_emails
from recours.core.models import OutboxEmail
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def manage_token(client, campaign, sign_data):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    body = queued_mails()[0].body_text
    client.post(link_from(body, "/confirmer/"))
    return link_from(body, "/mandat/").split("/")[-2]


def test_signer_downloads_what_the_server_holds(client, campaign, manage_token):
    response = client.get(reverse("mandates:held_data", args=[campaign.slug, manage_token]))

    data = json.loads(response.content)
    assert response["Content-Disposition"] == 'attachment; filename="mandat-plainte-test.json"'
    assert data["status"] == "confirmed"
    assert data["sealed_identity_base64"]
    assert "Dupontel" not in response.content.decode()


def test_rights_request_reaches_the_organisers_and_leaves_no_address(
    client, campaign, manage_token, mailoutbox
):
    url = reverse("mandates:rights_request", args=[campaign.slug, manage_token])
    response = client.post(
        url, {"kind": "access", "email": "reponse@example.org", "message": "Une copie, svp."}
    )

    send_due_emails()
    assert response.status_code == 200
    assert "Votre demande est envoyée" in response.content.decode()
    request_mail = mailoutbox[-1]
    assert request_mail.to == ["contact@vigie.example"]
    assert request_mail.reply_to == ["reponse@example.org"]
    assert "Recevoir une copie de mes données" in request_mail.body
    assert OutboxEmail.objects.get(template="rights-request").is_wiped is True


def test_rights_request_with_bad_input_sends_nothing(client, campaign, manage_token):
    url = reverse("mandates:rights_request", args=[campaign.slug, manage_token])

    response = client.post(url, {"kind": "nope", "email": "x"})

    assert response.status_code == 400
    assert OutboxEmail.objects.filter(template="rights-request").count() == 0
