"""A database made by the previous release migrates to this code and keeps working."""

import gzip
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from recours.core.tests.live import LiveSite
from recours.testing import link_from

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("processes")]
FIXTURE = Path(__file__).parent / "fixtures" / "release-8fbe519.sqlite3.gz"
BASE_DIR = Path(__file__).resolve().parents[2]
CHECK = """
from recours.core.models import OutboxEmail
from recours.mandates.log_tree import StoredTree
from recours.mandates.transparency import log_head
from recours.observatory.models import ClaimChange, Lead
from recours.core.merkle import leaf_hash, root_from_leaf_hashes
from recours.mandates.models import LogEntry
[mail] = OutboxEmail.objects.filter(status="queued")
print(mail.content.to)
print(Lead.objects.get().contact)
print(ClaimChange.objects.get().changes["vendor"])
entries = LogEntry.objects.order_by("position").values_list("entry_hash", flat=True)
print(log_head(1).root == root_from_leaf_hashes([leaf_hash(bytes.fromhex(h)) for h in entries]).hex())
"""


def plain_columns(database: Path) -> set[str]:
    with sqlite3.connect(database) as db:
        return {
            f"{table}.{column}"
            for table in ("core_outboxemail", "observatory_lead")
            for _, column, *_ in db.execute(f"PRAGMA table_info({table})")  # noqa: S608
        }


def test_the_previous_releases_database_migrates_and_signs(tmp_path):
    database = tmp_path / "recours.sqlite3"
    database.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    # The release's demo campaign closed 35 days after the fixture was made: keep it open,
    # or this test stops testing signing the day that passes.
    with sqlite3.connect(database) as db:
        db.execute("UPDATE campaigns_campaign SET closes_at = datetime('now', '+30 days')")
    assert {"core_outboxemail.to", "observatory_lead.contact"} <= plain_columns(database)

    site = LiveSite(tmp_path)
    site.manage("migrate", "--no-input")  # before the site's mail worker sends the old mail
    checked = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", CHECK], cwd=BASE_DIR,
        env=site.env,
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    with site:
        campaign_path = reverse("mandates:campaign", args=["technopolice"])
        page = site.get(campaign_path)
        time.sleep(2.1)  # the form refuses submissions faster than a person
        site.post_form(reverse("mandates:sign", args=["technopolice"]), page, {
            "given_names": "Nouvelle", "surname": "Signataire",
            "email": "nouvelle.signataire@example.org", "postal_address": "2 rue Neuve\nLyon",
            "consent": "on", "privacy": "on", "website": "",
        })  # fmt: skip
        mails = site.wait_for_mail(count=2)
        confirm = link_from(next(m for m in mails if "nouvelle.signataire" in m), "/confirmer/")
        site.post_form(confirm, site.get(confirm), {})
        count = site.get(campaign_path + "count.json")

    assert checked == [
        "aurelienne.fixture@example.org",  # the waiting mail, encrypted by the migration
        "source.ancienne@example.org",  # the lead's contact, likewise
        "['Two-I', 'Briefcam']",  # the history that named vendors by id
        "True",  # the stored tree's root equals the root over every entry
    ]
    assert {"core_outboxemail.to", "observatory_lead.contact"} & plain_columns(database) == set()
    assert '"confirmed": 33' in count
