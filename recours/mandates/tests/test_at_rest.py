"""A stolen database reveals nobody: run a real signature through a live server, then
search the raw database files (SQLite) or a dump (PostgreSQL) for the signer."""

import os
import subprocess
import time
import uuid

import pytest
from django.urls import reverse

from recours.core.tests.live import LiveSite
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
