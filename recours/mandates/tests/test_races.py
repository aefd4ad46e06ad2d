"""Concurrent requests on PostgreSQL, where they really run in parallel (pretix's rule:
race tests on Postgres only; SQLite serialises writers by design)."""

import threading
from collections import Counter

import pytest
from django.db import connection

from recours.campaigns.domain import published_texts
from recours.campaigns.models import Tally
from recours.mandates import domain, intake
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import Mandate
from recours.testing import link_from, queued_mails, sign_up

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CONCURRENCY = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests run on PostgreSQL (set DATABASE_URL)")


def run_together(target, count=CONCURRENCY):
    """Starts `count` threads at one barrier; returns what each returned or raised."""
    barrier = threading.Barrier(count)
    results = []
    lock = threading.Lock()

    def worker():
        from django.db import connections

        barrier.wait()
        try:
            outcome = target()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_signatures_with_one_email_make_one_mandate(campaign):
    texts = published_texts(campaign)
    identity = SignerIdentity("Marianne", "Dupontel", "marianne@example.org")

    outcomes = run_together(
        lambda: domain.sign_mandate(
            campaign=campaign, identity=identity, texts=texts, language="fr"
        )
    )

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert sorted(o.value for o in outcomes).count("created") == 1
    assert Mandate.objects.filter(status="pending").count() == 1


def test_concurrent_confirmations_of_one_token_count_once(campaign):
    domain.sign_mandate(
        campaign=campaign,
        identity=SignerIdentity("M", "D", "m@example.org"),
        texts=published_texts(campaign),
        language="fr",
    )
    token = link_from(queued_mails()[0].body_text, "/confirmer/").rstrip("/").rsplit("/", 1)[-1]

    outcomes = run_together(lambda: domain.confirm_mandate(token=token))

    confirmed = [o for o in outcomes if isinstance(o, Mandate)]
    refused = [o.problem for o in outcomes if isinstance(o, domain.TokenError)]
    campaign.refresh_from_db()
    assert len(confirmed) == 1
    assert refused == [domain.TokenProblem.USED] * (CONCURRENCY - 1)
    assert campaign.confirmed_count == domain.recount_confirmed(campaign) == 1


def test_concurrent_withdraw_and_confirm_stay_consistent(campaign):
    domain.sign_mandate(
        campaign=campaign,
        identity=SignerIdentity("M", "D", "m@example.org"),
        texts=published_texts(campaign),
        language="fr",
    )
    body = queued_mails()[0].body_text
    confirm = link_from(body, "/confirmer/").rstrip("/").rsplit("/", 1)[-1]
    manage = link_from(body, "/mandat/").rstrip("/").rsplit("/", 1)[-1]
    calls = iter(
        [lambda: domain.confirm_mandate(token=confirm)] * 10
        + [lambda: domain.withdraw_mandate(token=manage)] * 10
    )
    lock = threading.Lock()

    def next_call():
        with lock:
            call = next(calls)
        return call()

    run_together(next_call)

    mandate = Mandate.objects.get()
    campaign.refresh_from_db()
    assert mandate.status == "withdrawn"
    assert mandate.sealed_identity is None
    assert campaign.confirmed_count == domain.recount_confirmed(campaign) == 0


def test_two_mail_workers_draining_one_outbox_send_each_mail_once(campaign, smtp_server):
    from recours.core.mail import send_due_emails
    from recours.core.models import OutboxEmail

    sign_up(campaign, "worker", 120)

    def drain():
        sent = 0
        while batch := send_due_emails(limit=10)["sent"]:
            sent += batch
        return sent

    assert sum(run_together(drain, count=2)) == 120
    recipients = [message["To"] for message in smtp_server.messages]
    assert len(recipients) == len(set(recipients)) == 120
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_confirmations_racing_a_close_count_only_what_committed_before_it(campaign):
    from recours.campaigns.domain import change_campaign_status
    from recours.campaigns.models import Campaign, StatusChange
    from recours.mandates.models import LogEntry, MandateToken

    sign_up(campaign, "close", CONCURRENCY - 1)
    tokens = iter(
        link_from(mail.body_text, "/confirmer/").rstrip("/").rsplit("/", 1)[-1]
        for mail in queued_mails("confirm")
    )
    lock = threading.Lock()

    def confirm_or_close():
        with lock:
            token = next(tokens, None)
        if token is None:
            return change_campaign_status(campaign=campaign, to="closed", by="organiser")
        return domain.confirm_mandate(token=token)

    outcomes = run_together(confirm_or_close)

    campaign.refresh_from_db()
    confirmed = [o for o in outcomes if isinstance(o, Mandate)]
    refused = [o.problem for o in outcomes if isinstance(o, domain.TokenError)]
    assert campaign.status == Campaign.Status.CLOSED
    assert len(confirmed) + len(refused) == CONCURRENCY - 1
    assert set(refused) <= {domain.TokenProblem.CLOSED}
    assert campaign.confirmed_count == domain.recount_confirmed(campaign) == len(confirmed)
    assert LogEntry.objects.filter(campaign=campaign).count() == len(confirmed)
    # Nothing was appended once the close held the campaign's row.
    closed_at = StatusChange.objects.get(campaign=campaign, to_status="closed").changed_at
    assert all(at < closed_at for at in LogEntry.objects.values_list("created_at", flat=True))
    # A refused confirmation left nothing behind: its link is still unspent.
    unspent = MandateToken.objects.filter(purpose="confirm", used_at__isnull=True).count()
    assert unspent == len(refused)


def test_workers_recording_at_once_record_each_signature_once(campaign):
    texts = published_texts(campaign)
    for number in range(60):  # the same person twice among them, as a retry would be
        identity = SignerIdentity("Ana", "Martin", f"signer{number % 50}@example.org")
        signature = domain.prepare_signature(
            campaign=campaign, identity=identity, texts=texts, language="fr"
        )
        assert intake.receive_signature(signature)

    outcomes = run_together(lambda: intake.record_received(limit=7), count=4)
    while batch := intake.record_received(limit=7):
        outcomes.append(batch)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    total = sum(outcomes, Counter())
    assert total[domain.SignOutcome.CREATED] == 50
    assert total.total() == 60
    assert Mandate.objects.filter(status="pending").count() == 50
    mailed = total[domain.SignOutcome.CREATED] + total[domain.SignOutcome.PENDING_AGAIN]
    assert len(queued_mails("confirm")) == mailed
    assert sum(Tally.objects.filter(metric="signup").values_list("count", flat=True)) == 50
