"""The backup drill: back up a running database, restore it into an empty one, and check
that the restored database is the same record: the log's chain and Merkle root, the
counter equal to the log, the waiting mail, and a dossier built after the restore equal to
one built before. The backup itself names no signer."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from recours.core.keyshares import split_private_key

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("processes")]
BASE_DIR = Path(__file__).resolve().parents[2]
SECRETS = {
    "SECRET_KEY": "backup-drill-secret-key-" + "s" * 40,
    "PEPPER": "backup-drill-pepper-" + "p" * 40,
    "DATA_KEY": "BgYGBgYGBgYGBgYGBgYGBgYGBgYGBgYGBgYGBgYGBgY=",
}
SIGN = """
from recours.campaigns.domain import published_texts
from recours.campaigns.models import Campaign
from recours.mandates import domain
from recours.mandates.identity import SignerIdentity
campaign = Campaign.objects.get(slug="technopolice")
domain.sign_mandate(campaign=campaign, texts=published_texts(campaign), language="fr",
    identity=SignerIdentity(given_names="Philibertine", surname="Sauvegarde",
        email="philibertine@sauvegarde.example", postal_address="4 rue des Archives"))
"""
OUTBOX = """
from recours.core.models import OutboxEmail
print([row.content.to for row in OutboxEmail.objects.filter(status="queued")])
"""


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def environment(var: Path, **extra: str) -> dict:
    return {
        "PATH": os.environ["PATH"], "RECOURS_MODE": "demo", "DEBUG": "1",
        "VAR_DIR": str(var), "EMAIL_URL": "console://", "REDIS_URL": "", "DATABASE_URL": "",
    } | SECRETS | extra  # fmt: skip


def dossier_of(env: dict, folder: Path, shares: list[Path]) -> dict[str, bytes]:
    export = folder / "export.json"
    manage(env, "export_sealed", "technopolice", "--out", str(export))
    offline = {"PATH": os.environ["PATH"], "RECOURS_MODE": "offline"}
    arguments = [a for share in shares for a in ("--share", str(share))]
    manage(offline, "build_dossier", str(export), *arguments, "--out", str(folder / "dossier"))
    files = {}
    for path in sorted((folder / "dossier").iterdir()):
        if path.suffix == ".pdf":  # a PDF carries its build's date and a random id
            files[path.name] = " ".join(page.extract_text() for page in PdfReader(path).pages)
        elif path.is_file():
            files[path.name] = path.read_bytes()
    manifest = json.loads(files.pop("manifest.json"))
    del manifest["created_at"]
    manifest["files"] = {name: digest for name, digest in manifest["files"].items()
                         if not name.endswith(".pdf")}  # fmt: skip
    return files | {"manifest": manifest}


def postgres_pair():
    admin = os.environ["DATABASE_URL"]
    names = [f"recours_drill_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    return admin, [admin.rsplit("/", 1)[0] + "/" + name for name in names], names


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_restored_backup_is_the_same_record_and_names_no_one(tmp_path, backend):
    if backend == "postgresql" and not os.environ.get("DATABASE_URL"):
        pytest.skip("needs DATABASE_URL (PostgreSQL)")
    before, after = tmp_path / "before", tmp_path / "after"
    after.mkdir()
    backup = tmp_path / "backup.db"
    names = []
    if backend == "sqlite":
        first = environment(before)
        second = environment(after, SQLITE_PATH=str(after / "restored.sqlite3"))
    else:
        admin, (url_a, url_b), names = postgres_pair()
        first, second = (
            environment(before, DATABASE_URL=url_a),
            environment(after, DATABASE_URL=url_b),
        )
    try:
        manage(first, "migrate", "--no-input")
        manage(first, "seed_demo")
        manage(first, "shell", "--no-imports", "-c", SIGN)  # its mail waits in the outbox
        key = (before / "demo-keys" / "technopolice.key").read_text().strip()
        public = manage(first, "shell", "--no-imports", "-c",
                        "from recours.campaigns.models import Campaign;"
                        "print(Campaign.objects.get(slug='technopolice').public_key)").strip()  # fmt: skip
        shares = []
        for share in split_private_key(key, campaign="technopolice", public_key=public,
                                       threshold=2, count=3)[:2]:  # fmt: skip
            shares.append(tmp_path / f"share-{share.index}.json")
            shares[-1].write_text(share.to_json())

        written = manage(first, "backup", "--out", str(backup))
        if backend == "sqlite":
            shutil.copy(backup, after / "restored.sqlite3")
        else:
            subprocess.run(["pg_restore", "--no-owner", "--dbname", url_b, str(backup)],
                           check=True, capture_output=True)  # fmt: skip

        integrity = manage(second, "check_integrity")
        waiting = manage(second, "shell", "--no-imports", "-c", OUTBOX)
        dossier_before = dossier_of(first, before, shares)
        dossier_after = dossier_of(second, after, shares)
    finally:
        for name in names:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False)

    assert written.startswith(f"backup written to {backup}")
    assert integrity == "ok  technopolice: chain, root and counter agree\n"
    assert waiting == "['philibertine@sauvegarde.example']\n"
    assert dossier_after == dossier_before
    assert sorted(dossier_after) == sorted(dossier_before) and "mandataires.csv" in dossier_after
    raw = backup.read_bytes()
    if raw.startswith(b"PGDMP"):  # compressed in blocks: read it as the SQL it restores to
        raw = subprocess.run(["pg_restore", "--file=-", str(backup)], check=True,
                             capture_output=True).stdout  # fmt: skip
    assert b"technopolice" in raw  # the search reads what the backup holds
    for needle in (b"Philibertine", b"philibertine", b"sauvegarde.example", b"Archives"):
        assert needle not in raw
