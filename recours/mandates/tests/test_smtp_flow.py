"""The signing flow with a real SMTP server (aiosmtpd on loopback): the worker sends, the
test reads the received mail and follows its links as a signer would."""

import pytest
from django.test import override_settings
from django.urls import reverse

from recours.core.mail import send_due_emails
from recours.core.models import OutboxEmail
from recours.core.tests.smtp import text_part
from recours.testing import link_from

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_real_smtp_flow_sign_receive_confirm_withdraw(client, campaign, sign_data, smtp_server):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())

    assert send_due_emails() == {"sent": 1, "retry": 0, "failed": 0, "unreadable": 0}
    [message] = smtp_server.messages
    assert message["To"] == "marianne.dupontel@example.org"
    assert message["Subject"] == f"Confirmez votre mandat : {campaign.title}"
    body = text_part(message)
    assert body.splitlines()[0] == "Bonjour,"
    assert "Marianne" not in body and "Dupontel" not in body  # nothing the form was given

    client.post(link_from(body, "/confirmer/"))
    count_url = reverse("campaigns:count_json", args=[campaign.slug])
    assert client.get(count_url).json()["confirmed"] == 1
    client.post(link_from(body, "/mandat/") + "retirer/")
    assert client.get(count_url).json()["confirmed"] == 0

    row = OutboxEmail.objects.get()
    assert (row.status, row.is_wiped) == ("sent", True)


def test_sending_again_sends_nothing_twice(client, campaign, sign_data, smtp_server):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())

    send_due_emails()
    second = send_due_emails()

    assert second == {"sent": 0, "retry": 0, "failed": 0, "unreadable": 0}
    assert len(smtp_server.messages) == 1


def test_temporary_refusal_is_retried_later(client, campaign, sign_data, smtp_server):
    from django.utils import timezone

    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    smtp_server.refuse = "451 4.3.0 Try again later"

    assert send_due_emails() == {"sent": 0, "retry": 1, "failed": 0, "unreadable": 0}
    row = OutboxEmail.objects.get()
    assert (row.status, row.attempts, row.is_wiped) == ("queued", 1, False)
    assert row.next_attempt_at > timezone.now()

    smtp_server.refuse = None
    OutboxEmail.objects.update(next_attempt_at=timezone.now())
    assert send_due_emails() == {"sent": 1, "retry": 0, "failed": 0, "unreadable": 0}
    assert len(smtp_server.messages) == 1


def test_permanent_refusal_fails_and_wipes_the_address(client, campaign, sign_data, smtp_server):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    smtp_server.refuse = "550 5.1.1 No such user"

    assert send_due_emails() == {"sent": 0, "retry": 0, "failed": 1, "unreadable": 0}

    row = OutboxEmail.objects.get()
    assert (row.status, row.is_wiped) == ("failed", True)
    assert row.last_error.startswith("SMTPRecipientsRefused")


def test_unreachable_server_is_a_temporary_failure(client, campaign, sign_data):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=9,  # discard port: nothing listens
        EMAIL_TIMEOUT=2,
    ):
        result = send_due_emails()

    assert result == {"sent": 0, "retry": 1, "failed": 0, "unreadable": 0}
    assert OutboxEmail.objects.get().status == "queued"


def test_stale_claim_becomes_uncertain_and_is_never_resent(client, campaign, sign_data):
    from datetime import timedelta

    from django.utils import timezone

    from recours.core.mail import mark_stale_claims

    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    OutboxEmail.objects.update(status="sending", claimed_at=timezone.now() - timedelta(hours=1))

    assert mark_stale_claims() == 1
    row = OutboxEmail.objects.get()
    assert (row.status, row.is_wiped) == ("uncertain", True)
    assert send_due_emails() == {"sent": 0, "retry": 0, "failed": 0, "unreadable": 0}


@pytest.mark.parametrize("connections", [1, 4])
def test_a_batch_larger_than_one_record_is_sent_once_over_its_connections(
    campaign, smtp_server, connections
):
    from django.db.models import Sum

    from recours.campaigns.models import Tally
    from recours.campaigns.tallies import mail_metric
    from recours.core.mail import RECORD_SENT_EVERY
    from recours.testing import confirm_a_signer

    mails = RECORD_SENT_EVERY * 2 + 3
    for number in range(mails):
        confirm_a_signer(campaign, number)  # a confirmation mail, then a confirmed one
    OutboxEmail.objects.exclude(template="confirm").delete()

    with override_settings(EMAIL_TIMEOUT=10, MAIL_CONNECTIONS=connections):
        assert send_due_emails(limit=100)["sent"] == mails
        assert send_due_emails()["sent"] == 0

    assert len({message["To"] for message in smtp_server.messages}) == mails
    assert len(smtp_server.messages) == mails
    # The batch over MAIL_CONNECTIONS connections at once, each kept for its share.
    assert len(smtp_server.sessions) == connections
    rows = OutboxEmail.objects.all()
    assert {(row.status, row.is_wiped) for row in rows} == {("sent", True)}
    sent = Tally.objects.filter(campaign=campaign, metric=mail_metric("sent"))
    assert sent.aggregate(total=Sum("count"))["total"] == mails


def test_a_refusal_on_one_connection_leaves_the_others_sending(campaign, smtp_server):
    from recours.testing import confirm_a_signer

    for number in range(12):
        confirm_a_signer(campaign, number)
    OutboxEmail.objects.exclude(template="confirm").delete()
    refused = {
        "signer3@example.org": "550 5.1.1 No such user",
        "signer8@example.org": "451 4.3.0 Later",
    }
    smtp_server.refuse_if = refused.get

    with override_settings(EMAIL_TIMEOUT=10, MAIL_CONNECTIONS=4):
        assert send_due_emails() == {"sent": 10, "retry": 1, "failed": 1, "unreadable": 0}

    assert len(smtp_server.messages) == 10
    statuses = sorted(OutboxEmail.objects.values_list("status", flat=True))
    assert statuses == ["failed"] + ["queued"] + ["sent"] * 10
