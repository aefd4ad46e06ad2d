"""The sign intake (mandates/intake.py): the request stores one row and answers, the
worker records it. These tests use a plain client, so that nothing is recorded until
they run the worker's turn themselves."""

import logging
import secrets

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recours.campaigns import share_counters
from recours.campaigns.domain import published_texts
from recours.campaigns.models import Campaign, Tally
from recours.core import at_rest
from recours.core.crypto import unseal
from recours.core.health import readiness
from recours.core.models import OutboxEmail
from recours.mandates import domain, intake
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import Mandate, SignIntake, SubmissionKey
from recours.testing import old_clock, queued_mails, record_received_signatures

pytestmark = pytest.mark.django_db


def sign_url(campaign):
    return reverse("mandates:sign", args=[campaign.slug])


def received(client, campaign, sign_data, **fields):
    response = client.post(sign_url(campaign), sign_data(**fields))
    assert response.status_code == 302
    assert response["Location"].endswith("/verifiez-vos-mails/")
    return response


def test_the_request_stores_one_row_in_one_statement_and_nothing_else(campaign, sign_data):
    client = Client()
    client.get(campaign.get_absolute_url())  # the campaign in the cache, as at a surge

    with CaptureQueriesContext(connection) as queries:
        received(client, campaign, sign_data)

    writes = [q["sql"] for q in queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1
    assert writes[0].startswith('INSERT INTO "mandates_signintake"')
    assert (SignIntake.objects.count(), Mandate.objects.count(), OutboxEmail.objects.count()) == (
        1,
        0,
        0,
    )


def test_a_waiting_signature_names_no_one_without_the_keys(campaign, sign_data, private_key):
    received(Client(), campaign, sign_data)
    row = SignIntake.objects.get()

    stored = b"|".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for value in SignIntake.objects.values_list().get()
    )
    for clear in (b"marianne", b"Marianne", b"Dupontel", b"Lilas", b"example.org"):
        assert clear not in stored
    identity = unseal(private_key, bytes(row.sealed_identity))
    assert (identity["email"], identity["surname"]) == ("marianne.dupontel@example.org", "Dupontel")
    address = at_rest.decrypt(bytes(row.address_sealed), purpose=intake.ADDRESS_PURPOSE)
    assert address == b"marianne.dupontel@example.org"


def test_the_worker_records_the_mandate_its_mail_and_its_tally(campaign, sign_data):
    received(Client(), campaign, sign_data, via="mastodon")

    assert intake.record_received() == {domain.SignOutcome.CREATED: 1}

    mandate = Mandate.objects.get()
    assert (mandate.status, mandate.language) == ("pending", "fr")
    assert [mail.to for mail in queued_mails("confirm")] == ["marianne.dupontel@example.org"]
    assert SignIntake.objects.count() == 0
    assert Tally.objects.get(metric="signup").count == 1
    assert share_counters.flush([campaign.pk]) == {"visits": 0, "signatures": 1}
    assert intake.record_received() == {}


def test_the_same_form_sent_twice_is_stored_once_and_recorded_once(campaign, sign_data):
    client, data = Client(), sign_data(clock=old_clock())
    for _ in range(2):  # a client retrying after a time-out, before the worker's turn
        client.post(sign_url(campaign), data)
    assert SignIntake.objects.count() == 1
    record_received_signatures()

    client.post(sign_url(campaign), data)  # and once more, after it
    assert intake.record_received() == {domain.SignOutcome.DUPLICATE_SUBMISSION: 1}

    assert Mandate.objects.count() == 1
    assert len(queued_mails()) == 1


def test_signing_again_before_the_worker_gets_one_mandate_and_one_mail_for_the_last(
    campaign, sign_data, private_key
):
    client = Client()
    received(client, campaign, sign_data, surname="Dupont")
    received(client, campaign, sign_data, surname="Dupontel")

    assert intake.record_received() == {domain.SignOutcome.CREATED: 1, "superseded": 1}
    assert SubmissionKey.objects.count() == 2  # the first form, sent again, changes nothing

    mandate = Mandate.objects.get()
    assert unseal(private_key, bytes(mandate.sealed_identity))["surname"] == "Dupontel"
    assert len(queued_mails("confirm")) == 1
    assert Tally.objects.get(metric="signup").count == 1


def test_a_flood_of_one_address_does_not_hold_up_the_others(campaign):
    texts = published_texts(campaign)
    for email in ["victim@example.org"] * 30 + ["other@example.org"]:
        signature = domain.prepare_signature(
            campaign=campaign,
            identity=SignerIdentity("Ana", "Martin", email),
            texts=texts,
            language="fr",
            submission_key=secrets.token_hex(8),  # from many forms, past the form's limits
        )
        assert intake.receive_signature(signature)

    assert intake.record_received(limit=40) == {domain.SignOutcome.CREATED: 2, "superseded": 29}
    assert len(queued_mails("confirm")) == 2


def test_a_failure_mid_batch_records_nothing_and_loses_nothing(campaign, sign_data, monkeypatch):
    client = Client()
    for number in range(3):
        received(client, campaign, sign_data, email=f"s{number}@example.org")
    calls = []
    real = domain._mail

    def fails_on_the_third(*args, **kwargs):
        # After the keys are spent and the mandates inserted: the batch is half written.
        calls.append(args)
        if len(calls) == 3:
            raise RuntimeError("the worker dies here")
        return real(*args, **kwargs)

    monkeypatch.setattr(domain, "_mail", fails_on_the_third)
    with pytest.raises(RuntimeError):
        intake.record_received()

    assert (SignIntake.objects.count(), Mandate.objects.count(), OutboxEmail.objects.count()) == (
        3,
        0,
        0,
    )
    assert SubmissionKey.objects.count() == 0
    monkeypatch.undo()
    assert intake.record_received() == {domain.SignOutcome.CREATED: 3}


def test_a_signature_received_before_a_close_is_not_recorded_after_it(campaign, sign_data):
    received(Client(), campaign, sign_data)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)

    assert intake.record_received() == {"closed": 1}
    assert (SignIntake.objects.count(), Mandate.objects.count()) == (0, 0)


def test_an_address_no_key_opens_is_dropped_and_logged(campaign, sign_data, caplog):
    received(Client(), campaign, sign_data)
    SignIntake.objects.update(address_sealed=b"not a sealed value")

    with caplog.at_level(logging.ERROR, logger="recours.mandates.intake"):
        assert intake.record_received() == {"unreadable": 1}

    assert Mandate.objects.count() == 0
    assert "1 signature(s) whose address no key opens" in caplog.text
    assert "example.org" not in caplog.text


def test_the_health_check_sees_signatures_waiting_for_no_worker(campaign, sign_data, settings):
    received(Client(), campaign, sign_data)
    assert {check.name: check.ok for check in readiness()}["sign intake"] is True

    settings.HEALTH_OUTBOX_MAX_MINUTES = 0
    SignIntake.objects.update(signed_at=campaign.opens_at)
    check = next(check for check in readiness() if check.name == "sign intake")
    assert check.ok is False
    assert check.detail.startswith("oldest waiting for ")
