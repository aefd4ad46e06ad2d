import io
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from recours.campaigns.domain import change_campaign_status, published_texts
from recours.campaigns.models import Campaign
from recours.mandates import domain, transparency
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import Mandate, MandateToken
from recours.mandates.retention import purge
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def sign(campaign, index, confirm=True):
    domain.sign_mandate(
        campaign=campaign,
        identity=SignerIdentity("A", "B", f"p{index}@example.org"),
        texts=published_texts(campaign),
        language="fr",
    )
    body = queued_mails()[-1].body_text
    if confirm:
        domain.confirm_mandate(token=link_from(body, "/confirmer/").split("/")[-2])
    return link_from(body, "/mandat/").split("/")[-2]


def test_unconfirmed_sign_ups_go_after_30_days(campaign):
    sign(campaign, 1, confirm=False)
    sign(campaign, 2, confirm=False)
    Mandate.objects.filter(pk=Mandate.objects.first().pk).update(
        signed_at=timezone.now() - timedelta(days=31)
    )

    report = purge()

    assert report.counts["unconfirmed sign-ups deleted"] == 1
    assert Mandate.objects.count() == 1


def test_unconfirmed_sign_ups_go_at_closing(campaign):
    sign(campaign, 1, confirm=False)
    change_campaign_status(campaign=campaign, to="closed", by="x")

    purge()

    assert Mandate.objects.count() == 0


def test_after_filing_tokens_go_and_withdrawal_still_works(campaign):
    manage = sign(campaign, 1)
    sign(campaign, 2)
    for status in ("closed", "filed"):
        change_campaign_status(campaign=campaign, to=status, by="x")

    purge()
    mandate = domain.withdraw_mandate(token=manage)

    assert MandateToken.objects.filter(purpose="confirm").count() == 0
    assert mandate.status == "withdrawn"
    out = io.StringIO()
    call_command("withdrawals_since_filing", campaign.slug, stdout=out)
    assert out.getvalue().splitlines()[1].endswith(f",{mandate.log_position},{mandate.commitment}")


def test_identities_go_after_the_case_closes_and_counts_stay_consistent(campaign, settings):
    settings.RETENTION_AFTER_CASE_DAYS = 0
    for index in range(3):
        sign(campaign, index)
    for status in ("closed", "filed", "case_closed"):
        change_campaign_status(campaign=campaign, to=status, by="x")

    dry = purge(dry_run=True)
    assert dry.counts["sealed identities deleted"] == 3
    assert Mandate.objects.filter(sealed_identity__isnull=False).count() == 3
    purge()
    again = purge()

    campaign.refresh_from_db()
    assert Mandate.objects.filter(sealed_identity__isnull=False).count() == 0
    assert {pk: value for pk, value in Mandate.objects.values_list("pk", "email_hash")} == {
        pk: f"purged:{pk}" for pk in Mandate.objects.values_list("pk", flat=True)
    }
    assert again.counts["sealed identities deleted"] == 0
    assert campaign.confirmed_count == domain.recount_confirmed(campaign) == 3
    assert transparency.log_head(campaign.pk).count == 3


def test_identities_are_kept_during_the_retention_period(campaign, settings):
    settings.RETENTION_AFTER_CASE_DAYS = 30
    sign(campaign, 1)
    for status in ("closed", "filed", "case_closed"):
        change_campaign_status(campaign=campaign, to=status, by="x")

    purge()

    assert Mandate.objects.filter(sealed_identity__isnull=False).count() == 1


def test_purge_command_dry_run_prints_counts(campaign):
    sign(campaign, 1, confirm=False)
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    out = io.StringIO()

    call_command("purge", "--dry-run", stdout=out)

    assert "1 would be unconfirmed sign-ups deleted" in out.getvalue()
    assert Mandate.objects.count() == 1


@pytest.mark.xdist_group("processes")
@pytest.mark.django_db(transaction=True)
def test_purge_killed_halfway_is_consistent_and_finishes_next_time(tmp_path):
    """A real process, a real SIGKILL, a real SQLite file."""
    base = Path(__file__).resolve().parents[3]
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "1",
        "VAR_DIR": str(tmp_path),
        "EMAIL_URL": "console://",
    }

    def run(*args):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=base, env=env, check=True, capture_output=True
        )
        return done.stdout.decode().strip().splitlines()[-1] if done.stdout.strip() else ""

    run("migrate", "--no-input")
    run("seed_demo")
    script = (
        "from recours.campaigns.models import Campaign;"
        "from recours.mandates.models import Mandate;"
        "from django.utils import timezone;"
        "Campaign.objects.update(status='case_closed', case_closed_at=timezone.now());"
        "print(Mandate.objects.filter(sealed_identity__isnull=False).count())"
    )
    assert run("shell", "-c", script) == "32"
    env["RETENTION_AFTER_CASE_DAYS"] = "0"
    errors = (tmp_path / "purge.err").open("w")
    slow = subprocess.Popen(
        [sys.executable, "manage.py", "purge", "--batch", "1", "--pause", "0.5"],
        cwd=base,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )

    def count_left() -> int:
        # Read the file directly: a polling Django process would be too slow on a busy machine.
        with sqlite3.connect(tmp_path / "recours.sqlite3", timeout=30) as db:
            query = "SELECT COUNT(*) FROM mandates_mandate WHERE sealed_identity IS NOT NULL"
            return db.execute(query).fetchone()[0]

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and slow.poll() is None and count_left() == 32:
        time.sleep(0.02)
    slow.send_signal(signal.SIGKILL)
    slow.wait()
    errors.close()
    left = count_left()

    run("purge")
    consistency = (
        "from recours.mandates.models import Mandate;"
        "from recours.campaigns.models import Campaign;"
        "c = Campaign.objects.get();"
        "print(Mandate.objects.filter(sealed_identity__isnull=False).count(),"
        " Mandate.objects.filter(purged_at__isnull=False).count(), c.confirmed_count)"
    )
    assert 0 < left < 32, (tmp_path / "purge.err").read_text()  # it was killed halfway
    assert run("shell", "-c", consistency).split() == ["0", "32", "32"]
