"""Benchmark of the filing path at scale: export, offline dossier build, verification.

    .venv/bin/python bench/dossier.py            # 100,000 mandates (BENCH_MANDATES to change)

Builds its own SQLite database in a temporary folder, fills it with confirmed mandates
(sealed, with evidence, commitments and log entries computed as the product does), then
times each command in its own process and reads that process's peak memory (wait4).
Prints a table; writes the same as JSON under var/bench/.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COUNT = int(os.environ.get("BENCH_MANDATES", "100000"))
WORK = Path(tempfile.mkdtemp(prefix="recours-bench-"))
ENV = {**os.environ, "DEBUG": "1", "VAR_DIR": str(WORK / "var"), "EMAIL_URL": "console://"}
ENV.pop("DATABASE_URL", None)
os.environ.update({k: v for k, v in ENV.items() if k in {"DEBUG", "VAR_DIR", "EMAIL_URL"}})
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")


# One worker's piece of the annex (5,000 rows), alone in a fresh process, which then reads
# its own high-water mark: a worker's rusage would also count the parent it was forked
# from before it executed, so it cannot be read from the command's children.
PIECE = """
import json, sys, time
from recours.mandates.dossier.workers import ANNEX_CHUNK, render_annex_piece
row = ["1", "NOM-0 Prénom0", "0 rue de la République, 69002 Lyon", "2026-11-01 10:00:00 UTC",
       "2026-11-01 10:05:00 UTC", "7d9b58cfd9ae5743"]
common = {"title": "Annexe", "subtitle": "Bench", "lang": "fr", "columns": ["N°"] * 6}
started = time.perf_counter()
render_annex_piece(common, [[str(n)] + row[1:] for n in range(1, ANNEX_CHUNK + 1)])
seconds = time.perf_counter() - started
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(int(hwm) / 1024)}))
"""


def measured(*args: str) -> dict:
    """Runs a manage.py command: its wall time and the peak memory of its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)  # outputs are a few lines: pipes never fill
    elapsed = time.perf_counter() - started
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[0]} failed:\n{err}")
    return {
        "seconds": round(elapsed, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "out": out.strip(),
    }


def measured_piece() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PIECE], cwd=ROOT, env=ENV, check=True, capture_output=True
    )
    return json.loads(done.stdout)


def fill_database() -> tuple[str, list[Path]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from recours.campaigns.models import Organisation
    from recours.core.crypto import generate_keypair, key_id, seal, sha256_hex
    from recours.core.keyshares import split_private_key
    from recours.mandates.digests import (
        GENESIS,
        commitment_for,
        entry_digest,
        evidence_digest_of,
        new_salt,
    )
    from recours.mandates.domain import email_hash_for
    from recours.mandates.models import LogEntry, Mandate
    from recours.testing import make_campaign

    public, private = generate_keypair()
    organisation = Organisation.objects.create(
        name="Association Banc d'essai",
        registration_number="W000000001",
        registered_office="1 rue du Test, 75000 Paris",
        statutory_object="Mesurer.",
        contact_email="bench@example.org",
    )
    campaign = make_campaign(organisation, public, slug="bench")
    complaint = campaign.versions.get(kind="complaint")
    mandate_text = campaign.versions.get(kind="mandate")
    shares = split_private_key(private, campaign="bench", public_key=public, threshold=2, count=3)
    share_paths = []
    for share in shares[:2]:
        path = WORK / f"share-{share.index}.json"
        path.write_text(share.to_json())
        share_paths.append(path)

    now = timezone.now()
    previous = GENESIS
    for start in range(0, COUNT, 5000):
        mandates, entries = [], []
        for number in range(start, min(COUNT, start + 5000)):
            signed_at = now - timedelta(days=10, seconds=number)
            confirmed_at = signed_at + timedelta(minutes=5)
            identity = {
                "given_names": f"Prénom{number}",
                "surname": f"Nom-{number}",
                "email": f"signer{number}@example.org",
                "postal_address": f"{number} rue de la République\n69002 Lyon",
                "newsletter": False,
                "campaign": "bench",
                "complaint_sha256": complaint.sha256,
                "mandate_sha256": mandate_text.sha256,
                "signed_at": signed_at.isoformat(),
            }
            sealed = seal(public, identity)
            sealed_sha = sha256_hex(sealed)
            evidence = evidence_digest_of(
                campaign="bench",
                complaint_sha256=complaint.sha256,
                mandate_sha256=mandate_text.sha256,
                sealed_sha256=sealed_sha,
                signed_at=signed_at.isoformat(),
                confirmed_at=confirmed_at.isoformat(),
                method="email",
            )
            salt = new_salt()
            commitment = commitment_for(
                salt=salt, evidence_sha256=evidence, sealed_sha256=sealed_sha
            )
            entry_hash = entry_digest(
                previous_hash=previous,
                position=number,
                kind="add",
                commitment=commitment,
                ref_position=None,
                created_at=confirmed_at,
            )
            entries.append(
                LogEntry(
                    campaign=campaign,
                    position=number,
                    kind="add",
                    commitment=commitment,
                    created_at=confirmed_at,
                    previous_hash=previous,
                    entry_hash=entry_hash,
                )
            )
            previous = entry_hash
            mandates.append(
                Mandate(
                    campaign=campaign,
                    status="confirmed",
                    email_hash=email_hash_for(campaign, identity["email"]),
                    sealed_identity=sealed,
                    sealed_key_id=key_id(public),
                    confirmed_sealed_sha256=sealed_sha,
                    complaint_version=complaint,
                    mandate_version=mandate_text,
                    language="fr",
                    signed_at=signed_at,
                    confirmed_at=confirmed_at,
                    confirmation_method="email",
                    evidence_sha256=evidence,
                    commitment_salt=salt,
                    commitment=commitment,
                    log_position=number,
                )
            )
        with transaction.atomic():
            Mandate.objects.bulk_create(mandates)
            LogEntry.objects.bulk_create(entries)
    campaign.confirmed_count = COUNT
    campaign.save(update_fields=["confirmed_count"])
    return "bench", share_paths


def main():
    started = time.perf_counter()
    slug, shares = fill_database()
    fill_seconds = round(time.perf_counter() - started, 1)
    export = WORK / "export.json"
    share_args = [arg for path in shares for arg in ("--share", str(path))]
    results = {
        "export_sealed": measured("export_sealed", slug, "--out", str(export)),
        "build_dossier": measured(
            "build_dossier", str(export), *share_args, "--out", str(WORK / "d")
        ),
        "verify_dossier": measured("verify_dossier", str(WORK / "d")),
    }
    results["one worker: annex piece of 5,000 rows"] = measured_piece()
    if os.environ.get("BENCH_PER_SIGNER", "1") == "1":
        results["build_dossier --per-signer"] = measured(
            "build_dossier", str(export), *share_args, "--out", str(WORK / "d2"), "--per-signer"
        )
    sizes = {
        "export_mb": round(export.stat().st_size / 2**20, 1),
        "annex_pdf_mb": round((WORK / "d" / "mandataires.pdf").stat().st_size / 2**20, 1),
    }
    print(
        f"\nDossier benchmark: {COUNT:,} confirmed mandates (database filled in {fill_seconds} s)"
    )
    print(f"{'step':<40} {'seconds':>9} {'peak MB':>9}")
    for step, figures in results.items():
        print(f"{step:<40} {figures['seconds']:>9} {figures['peak_mb']:>9}")
    print("The build runs one worker per core (2 here) beside its own process.")
    print(f"export file {sizes['export_mb']} MB; mandataires.pdf {sizes['annex_pdf_mb']} MB")
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    report = {"benchmark": "dossier", "mandates": COUNT, "results": results, "sizes": sizes}
    (out_dir / f"dossier-{stamp}.json").write_text(json.dumps(report, indent=2))
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
