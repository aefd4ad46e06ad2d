"""A stolen database reveals nobody: run a real signature through a live server, then
search the raw database files (SQLite) or a dump (PostgreSQL) for the signer."""

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from recours.core.tests.live import LiveSite
from recours.core.tests.pgcluster import PrivateCluster, server_binaries
from recours.core.tests.smtp import smtp_on_loopback
from recours.testing import link_from

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("processes")]

SIGNER = {
    "given_names": "Ysolde",
    "surname": "Quenneville",
    "email": "ysolde.quenneville@example.org",
    "postal_address": "17 impasse des Glycines-Bleues\n13002 Marseille",
    "consent": "on",
    "privacy": "on",
    "website": "",
}
NEEDLES = ["Ysolde", "Quenneville", "ysolde.quenneville", "Glycines-Bleues"]


def sign_and_confirm(site: LiveSite) -> None:
    campaign_path = reverse("mandates:campaign", args=["technopolice"])
    page = site.get(campaign_path)
    time.sleep(2.1)  # the form refuses submissions faster than a person
    site.post_form(reverse("mandates:sign", args=["technopolice"]), page, SIGNER)
    [mail] = site.wait_for_mail()
    confirm_path = link_from(mail, "/confirmer/")
    site.post_form(confirm_path, site.get(confirm_path), {})
    assert '"confirmed": 33' in site.get(campaign_path + "count.json")
    time.sleep(1.5)  # the worker wipes the sent mail's row right after sending


def found_in(data: bytes) -> list[str]:
    lowered = data.lower()
    found = []
    for needle in NEEDLES:
        for encoding in ("utf-8", "utf-16-le"):
            if needle.lower().encode(encoding) in lowered:
                found.append(needle)
    return found


def test_sqlite_files_hold_no_signer_identity(tmp_path):
    with LiveSite(tmp_path) as site:
        sign_and_confirm(site)

    database_files = sorted(tmp_path.glob("recours.sqlite3*"))
    raw = b"".join(path.read_bytes() for path in database_files)
    assert [path.name for path in database_files][0] == "recours.sqlite3"
    assert found_in(raw) == []
    # The check can fail: the mail written to var/mail/ does name the signer.
    assert found_in(b"".join(p.read_bytes() for p in (tmp_path / "mail").iterdir())) != []


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs DATABASE_URL (PostgreSQL)")
def test_postgres_dump_holds_no_signer_identity(tmp_path):
    name = f"recours_at_rest_{uuid.uuid4().hex[:8]}"
    admin_url = os.environ["DATABASE_URL"]
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        url = admin_url.rsplit("/", 1)[0] + "/" + name
        with LiveSite(tmp_path, database_url=url) as site:
            sign_and_confirm(site)
        dump = subprocess.run(["pg_dump", url], check=True, capture_output=True).stdout
    finally:
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE {name}"], check=True)

    assert b"COPY public.mandates_mandate" in dump
    assert found_in(dump) == []


# Distinctive signers: the server accepts the first's mail, defers the second's (4xx) and
# refuses the third's (5xx), so that when the files are searched one row was sent and
# wiped, one still waits, and one failed with an error that names the address.
QUEUE_SIGNERS = [
    {"given_names": "Zéphyrine", "surname": "Aubertinard", "email": "zephyrine.accepte@example.org",
     "postal_address": "3 allée des Cormorans-Argentés\n29200 Brest"},
    {"given_names": "Théodulf", "surname": "Vantongerloo", "email": "theodulf.differe@example.org",
     "postal_address": "8 quai des Lamaneurs-Royaux\n76600 Le Havre"},
    {"given_names": "Ermengarde", "surname": "Kerbiriou", "email": "ermengarde.refuse@example.org",
     "postal_address": "5 venelle des Goémoniers\n29760 Penmarch"},
]  # fmt: skip
QUEUE_NEEDLES = [
    "Zéphyrine", "Aubertinard", "zephyrine.accepte", "Cormorans-Argentés",
    "Théodulf", "Vantongerloo", "theodulf.differe", "Lamaneurs-Royaux",
    "Ermengarde", "Kerbiriou", "ermengarde.refuse", "Goémoniers",
]  # fmt: skip


def found_anywhere(data: bytes) -> list[str]:
    """Each needle searched byte for byte as UTF-8, UTF-16 (both orders), and lowercase."""
    lowered = data.lower()
    found = []
    for needle in QUEUE_NEEDLES:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if needle.encode(encoding) in data or needle.lower().encode(encoding) in lowered:
                found.append(f"{needle} ({encoding})")
    return found


def files_under(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def sign_with_one_mail_deferred(site: LiveSite, inbox) -> None:
    # The replies quote the address, as real servers do: the stored error must not.
    inbox.refuse_if = lambda address: (
        f"451 4.2.0 <{address}>: mailbox busy" if "differe" in address
        else f"550 5.1.1 <{address}>: no such user" if "refuse" in address
        else None
    )  # fmt: skip
    campaign_path = reverse("mandates:campaign", args=["technopolice"])
    for signer in QUEUE_SIGNERS:
        page = site.get(campaign_path)
        time.sleep(2.1)  # the form refuses submissions faster than a person
        site.post_form(reverse("mandates:sign", args=["technopolice"]), page,
                       SIGNER | signer)  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (inbox.messages and len(inbox.refused) == 2):
        time.sleep(0.2)
    assert [str(message["To"]) for message in inbox.messages] == [QUEUE_SIGNERS[0]["email"]]
    assert [address for address, _ in inbox.refused] == [s["email"] for s in QUEUE_SIGNERS[1:]]
    time.sleep(1.5)  # the worker wipes the sent row right after sending


def mail_received(inbox) -> bytes:
    return b"".join(message.as_bytes() for message in inbox.messages)


@pytest.fixture
def inbox():
    with smtp_on_loopback() as (server, port):
        server.port = port
        yield server


def test_sqlite_files_and_logs_hold_no_address_of_a_sent_or_deferred_mail(tmp_path, inbox):
    with LiveSite(tmp_path, email_url=f"smtp://127.0.0.1:{inbox.port}") as site:
        sign_with_one_mail_deferred(site, inbox)

    database_files = sorted(tmp_path.glob("recours.sqlite3*"))
    stored = b"".join(path.read_bytes() for path in database_files)
    assert b"technopolice" in stored  # the search reads what is stored
    assert found_anywhere(stored) == []
    assert found_anywhere((tmp_path / "server.log").read_bytes()) == []
    # The search can find: the mail the server received does name the first signer.
    assert "zephyrine.accepte (utf-8)" in found_anywhere(mail_received(inbox))


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs DATABASE_URL (PostgreSQL)")
@pytest.mark.skipif(server_binaries() is None, reason="PostgreSQL's server binaries are needed")
def test_postgres_files_wal_dump_and_base_backup_hold_no_address_before_vacuum(tmp_path, inbox):
    """On a cluster of the test's own with autovacuum off, so that the wiped row's dead
    version is still in the heap when the files are read."""
    cluster = PrivateCluster(autovacuum="off").init().start()
    try:
        cluster.create_database("recours")
        url = cluster.url("recours")
        with LiveSite(tmp_path / "site", database_url=url,
                      email_url=f"smtp://127.0.0.1:{inbox.port}") as site:  # fmt: skip
            sign_with_one_mail_deferred(site, inbox)
            # Mid-queue: the deferred mail still waits in the outbox.
            dump = subprocess.run(["pg_dump", url], check=True, capture_output=True).stdout
            backup = tmp_path / "base-backup"
            subprocess.run(
                ["pg_basebackup", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                 "-D", str(backup), "-X", "fetch", "--checkpoint=fast"],
                check=True, capture_output=True,
            )  # fmt: skip
        subprocess.run(["psql", url, "-qc", "CHECKPOINT"], check=True)  # buffers to the files
        queued = subprocess.run(
            ["psql", url, "-tAc", "SELECT count(*) FROM core_outboxemail WHERE status='queued'"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        data = files_under(cluster.data)
    finally:
        cluster.destroy()

    assert queued == "1"
    # The search reads what is stored: the campaign's slug is there in clear, every time.
    assert all(b"technopolice" in blob for blob in (dump, files_under(backup), data))
    assert b"COPY public.core_outboxemail" in dump
    assert found_anywhere(dump) == []
    assert found_anywhere(files_under(backup)) == []
    assert found_anywhere(data) == []  # the data directory, its WAL segments included
    assert "zephyrine.accepte (utf-8)" in found_anywhere(mail_received(inbox))
