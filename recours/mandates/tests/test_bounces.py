"""Bounced confirmations never count, and throwaway addresses are refused. Mail goes
through a real SMTP server (aiosmtpd on loopback); returned mail is fed to
`process_bounces` as the mail server's pipe would."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from recours.core.mail import send_due_emails
from recours.core.tests.smtp import text_part
from recours.mandates.models import Mandate
from recours.testing import link_from

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

DSN = """\
From: MAILER-DAEMON@mx.example.net
To: {to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system at host mx.example.net. Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; marianne.dupontel@example.org
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--B--
"""


def sign_and_send(client, campaign, sign_data):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    send_due_emails()
    return Mandate.objects.get()


def returned(tmp_path, to, action="failed", status="5.1.1"):
    path = tmp_path / f"dsn-{action}-{status}.eml"
    path.write_text(DSN.format(to=to, action=action, status=status))
    return str(path)


def test_a_confirmation_refused_at_once_never_counts(client, campaign, sign_data, smtp_server):
    smtp_server.refuse = "550 5.1.1 No such user"

    mandate = sign_and_send(client, campaign, sign_data)

    mandate.refresh_from_db()
    assert mandate.bounced_at is not None
    assert mandate.status == Mandate.Status.PENDING
    assert not mandate.tokens.filter(purpose="confirm").exists()  # its link is dead


@override_settings(BOUNCE_ADDRESS="bounces@plainte.example.org")
def test_a_bounce_coming_back_later_kills_the_confirmation_link(
    client,
    campaign,
    sign_data,
    smtp_server,
    tmp_path,
    capsys,
):
    mandate = sign_and_send(client, campaign, sign_data)
    message = smtp_server.messages[0]
    confirm = link_from(text_part(message), "/confirmer/")
    return_path = smtp_server.senders[0]
    assert return_path.startswith("bounces+") and return_path.endswith("@plainte.example.org")
    assert "noreply" in message["From"]  # people see the usual sender

    # Delays, forged references and junk change nothing.
    forged = return_path.replace(return_path.split("-")[1][:4], "0000")
    call_command("process_bounces", returned(tmp_path, return_path, "delayed", "4.4.7"))
    call_command("process_bounces", returned(tmp_path, forged))
    junk = tmp_path / "junk.eml"
    junk.write_bytes(b"\xff\xfe not a mail at all")
    call_command("process_bounces", str(junk))
    mandate.refresh_from_db()
    assert mandate.bounced_at is None

    capsys.readouterr()
    call_command("process_bounces", returned(tmp_path, return_path))
    assert "1 hard bounce(s) recorded" in capsys.readouterr().out
    call_command("process_bounces", returned(tmp_path, return_path))
    assert "0 hard bounce(s) recorded" in capsys.readouterr().out

    mandate.refresh_from_db()
    assert mandate.bounced_at is not None
    assert client.post(confirm).status_code == 404
    campaign.refresh_from_db()
    assert campaign.confirmed_count == 0


def test_a_bounce_after_confirmation_changes_nothing(client, campaign, sign_data, smtp_server):
    mandate = sign_and_send(client, campaign, sign_data)
    confirm = link_from(text_part(smtp_server.messages[0]), "/confirmer/")
    client.post(confirm)
    smtp_server.refuse = "550 5.2.2 Mailbox full"
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())  # "already signed"
    send_due_emails()

    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.CONFIRMED
    assert mandate.bounced_at is None
    campaign.refresh_from_db()
    assert campaign.confirmed_count == 1


@pytest.mark.parametrize(
    "email",
    ["someone@yopmail.com", "someone@mailinator.com", "x@sub.mailinator.com", "x@BURNER.example"],
)
@override_settings(DISPOSABLE_DOMAINS_EXTRA=["burner.example"])
def test_throwaway_addresses_are_refused_with_a_reason(client, campaign, sign_data, email):
    response = client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data(email=email))

    assert response.status_code == 400
    assert "Les adresses jetables ne sont pas acceptées" in response.content.decode()
    assert not Mandate.objects.exists()
