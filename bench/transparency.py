"""The transparency log at a million entries: a receipt's check and the tree head.

    .venv/bin/python bench/transparency.py     # BENCH_LOG_ENTRIES=1000000

In process, on a SQLite file (and on PostgreSQL when DATABASE_URL is set, in a database
of its own): writes BENCH_LOG_ENTRIES entries, stores their Merkle nodes as a bulk load
does (`log_tree.rebuild`), then times `check_receipt` for random positions and the tree
head with an empty cache. Issue 14's goal: a check under 20 ms at 1,000,000 entries (it
took 4 to 6 s at 300,000 when every check hashed every entry). Prints a table; writes
JSON under var/bench/.
"""

import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENTRIES = int(os.environ.get("BENCH_LOG_ENTRIES", "1000000"))
CHECKS = 200


def run_here() -> dict:
    """Runs in a process whose environment names the database."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from recours.campaigns.models import Organisation
    from recours.core.crypto import generate_keypair
    from recours.mandates import transparency
    from recours.mandates.log_tree import rebuild
    from recours.mandates.models import LogEntry
    from recours.testing import make_campaign

    call_command("migrate", "--no-input", verbosity=0)
    organisation = Organisation.objects.create(
        name="Bench", registration_number="W0", registered_office="Paris",
        statutory_object="Bench", contact_email="bench@example.org",
    )  # fmt: skip
    campaign = make_campaign(organisation, generate_keypair()[0], slug="bench-log")
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, ENTRIES, 20_000):
            LogEntry.objects.bulk_create(
                LogEntry(campaign=campaign, position=n, kind="add", commitment=f"{n:064x}",
                         created_at=now, previous_hash="0" * 64, entry_hash=secrets.token_hex(32))
                for n in range(start, min(start + 20_000, ENTRIES))
            )  # fmt: skip
    write_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        nodes = rebuild(campaign.pk)
    rebuild_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    positions = random.Random(1).sample(range(ENTRIES), CHECKS)
    commitments = dict(
        LogEntry.objects.filter(campaign=campaign, position__in=positions).values_list(
            "position", "commitment"
        )
    )
    checks = []
    for position in positions:
        began = time.perf_counter()
        result = transparency.check_receipt(
            campaign.pk, commitment=commitments[position], position=position
        )
        checks.append((time.perf_counter() - began) * 1000)
        assert result.found
    heads = []
    for _ in range(20):
        cache.clear()
        began = time.perf_counter()
        transparency.log_head(campaign.pk)
        heads.append((time.perf_counter() - began) * 1000)
    return {
        "entries": ENTRIES,
        "nodes": nodes,
        "write entries (s)": round(write_seconds, 1),
        "store nodes (s)": round(rebuild_seconds, 1),
        "receipt check median (ms)": round(statistics.median(checks), 2),
        "receipt check p95 (ms)": round(sorted(checks)[int(len(checks) * 0.95)], 2),
        "tree head, empty cache, median (ms)": round(statistics.median(heads), 2),
    }


def in_process(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--here"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    work = Path(tempfile.mkdtemp(prefix="recours-bench-log-"))
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    base |= {"RECOURS_MODE": "demo", "DEBUG": "1", "VAR_DIR": str(work),
             "EMAIL_URL": "console://", "DJANGO_SETTINGS_MODULE": "recours.settings"}  # fmt: skip
    report = {}
    try:
        report["SQLite"] = in_process(base)
        if os.environ.get("DATABASE_URL"):
            name = f"recours_bench_log_{secrets.token_hex(4)}"
            admin = os.environ["DATABASE_URL"]
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
            try:
                url = admin.rsplit("/", 1)[0] + "/" + name
                report["PostgreSQL"] = in_process(base | {"DATABASE_URL": url})
            finally:
                subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nTransparency log, {ENTRIES:,} entries, {CHECKS} receipt checks at random positions")
    names = list(next(iter(report.values())))
    print(f"{'':<38}" + "".join(f"{database:>14}" for database in report))
    for name in names:
        print(f"{name:<38}" + "".join(f"{report[db][name]:>14}" for db in report))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "transparency.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    if "--here" in sys.argv:
        print(json.dumps(run_here()))
    else:
        main()
