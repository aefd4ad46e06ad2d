import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from recours.core import at_rest
from recours.core.mail import send_due_emails, without_addresses
from recours.core.models import OutboxEmail
from recours.core.tests.smtp import running_smtp_server

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

OLD = at_rest.parse_key("AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=")  # the test key
NEW = at_rest.parse_key("BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU=")


def test_a_value_opens_only_for_its_purpose_and_with_its_key(settings):
    blob = at_rest.encrypt(b"ysolde@example.org", purpose="outbox")

    assert at_rest.decrypt(blob, purpose="outbox") == b"ysolde@example.org"
    with pytest.raises(at_rest.Unreadable, match="another purpose"):
        at_rest.decrypt(blob, purpose="lead-contact")
    settings.DATA_KEY = NEW
    with pytest.raises(at_rest.Unreadable, match="does not hold"):
        at_rest.decrypt(blob, purpose="outbox")


@pytest.mark.parametrize("text", ["", "short", "AAAA", "x" * 44])
def test_a_key_that_is_not_32_bytes_of_base64_is_refused(text):
    with pytest.raises(ValueError, match="32 bytes in base64"):
        at_rest.parse_key(text)


def test_rotation_re_encrypts_pending_mail_to_the_new_key(client, campaign, sign_data, settings):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    before = bytes(OutboxEmail.objects.get().sealed)
    settings.DATA_KEY, settings.DATA_KEY_OLD = NEW, [OLD]
    out = io.StringIO()

    call_command("rotate_data_key", stdout=out)

    row = OutboxEmail.objects.get()
    assert out.getvalue().splitlines()[0] == (
        "OutboxEmail.sealed: 1 re-encrypted, 0 already current, 0 unreadable"
    )
    assert bytes(row.sealed) != before
    settings.DATA_KEY_OLD = []  # the old key is gone: the row still opens
    assert row.content.to == "marianne.dupontel@example.org"


def test_mail_no_key_opens_is_set_aside_and_counted_never_sent(
    client, campaign, sign_data, settings
):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    settings.DATA_KEY = NEW  # the key it was written with is lost

    with running_smtp_server() as inbox:
        counts = send_due_emails()

    row = OutboxEmail.objects.get()
    assert counts == {"sent": 0, "retry": 0, "failed": 0, "unreadable": 1}
    assert inbox.messages == []
    assert (row.status, row.is_wiped) == ("failed", True)
    assert row.last_error == "unreadable: encrypted with a key this process does not hold"


def test_errors_are_stored_without_the_address(client, campaign, sign_data, caplog):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())

    with running_smtp_server() as inbox:
        inbox.refuse = "550 5.1.1 <marianne.dupontel@example.org>: no such user"
        send_due_emails()

    row = OutboxEmail.objects.get()
    assert row.last_error == "SMTPRecipientsRefused: 550 5.1.1 <[adresse]>: no such user"
    ours = [record.getMessage() for record in caplog.records if record.name.startswith("recours")]
    assert ours == [
        f"outbox: mail #{row.pk} failed for good: {row.last_error}",
        f"outbox: mail #{row.pk} bounced (mandate:{row.about.split(':')[1]})",
    ]


def test_without_addresses_takes_out_every_address():
    assert without_addresses("refused: a.b+c@x.example, <d@y.example> (e@z)") == (
        "refused: [adresse], <[adresse]> ([adresse])"
    )
