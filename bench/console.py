"""The organisers' dashboard with a million mandates stored.

    .venv/bin/python bench/console.py     # BENCH_MANDATES=1000000

In process, on a SQLite file and on PostgreSQL (DATABASE_URL, or the local server on
127.0.0.1:5432 when it answers), each in a database of its own: stores BENCH_MANDATES
confirmed mandates signed over 90 days, their hourly tallies (as the migration counts
stored mandates) and share counts, then times the whole dashboard request (sign-in
session, roles, figures, seven charts and tables) and the figures alone. Issue 12's goal:
under 50 ms at 1,000,000 mandates, because the dashboard reads tallies, never mandates.
Prints a table; writes JSON under var/bench/.
"""

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MANDATES = int(os.environ.get("BENCH_MANDATES", "1000000"))
DAYS = 90
REQUESTS = 50
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def run_here() -> dict:
    """Runs in a process whose environment names the database."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from recours.campaigns.domain import published_texts
    from recours.campaigns.models import Campaign, Organisation, ShareCount, Tally
    from recours.campaigns.sharing import CHANNELS
    from recours.campaigns.tallies import counts_of_stored
    from recours.console.figures import campaign_figures
    from recours.console.models import Membership
    from recours.core.crypto import generate_keypair
    from recours.mandates.models import Mandate
    from recours.testing import make_campaign, signed_in

    call_command("migrate", "--no-input", verbosity=0)
    organisation = Organisation.objects.create(
        name="Bench", registration_number="W0", registered_office="Paris",
        statutory_object="Bench", contact_email="bench@example.org",
    )  # fmt: skip
    now = timezone.now()
    campaign = make_campaign(organisation, generate_keypair()[0], slug="bench-console",
                             opens_at=now - timedelta(days=DAYS), goal=2_000_000)  # fmt: skip
    texts = published_texts(campaign)
    started = time.perf_counter()
    tallies = None
    spacing = DAYS * 86400 / MANDATES
    with transaction.atomic():
        for start in range(0, MANDATES, 20_000):
            rows = []
            for n in range(start, min(start + 20_000, MANDATES)):
                signed = now - timedelta(seconds=DAYS * 86400 - n * spacing)
                rows.append(Mandate(
                    campaign=campaign, status="confirmed", email_hash=f"{n:064x}",
                    sealed_identity=b"sealed", complaint_version=texts.complaint,
                    mandate_version=texts.mandate, language="fr", signed_at=signed,
                    confirmed_at=signed + timedelta(minutes=n % 240),
                ))  # fmt: skip
            Mandate.objects.bulk_create(rows)
            counts = counts_of_stored(
                (campaign.pk, m.status, m.signed_at, m.confirmed_at, None, None) for m in rows
            )
            tallies = counts if tallies is None else tallies + counts
        Tally.objects.bulk_create(
            (Tally(campaign_id=c, hour=hour, metric=metric, count=count)
             for (c, hour, metric), count in tallies.items()),
            batch_size=5000,
        )  # fmt: skip
        ShareCount.objects.bulk_create(
            ShareCount(campaign=campaign, channel=channel, day=(now - timedelta(days=d)).date(),
                       signatures=d * 7 + len(channel))
            for channel in CHANNELS for d in range(DAYS)
        )  # fmt: skip
        Campaign.objects.filter(pk=campaign.pk).update(confirmed_count=MANDATES)
    write_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    campaign.refresh_from_db()
    user = User.objects.create_user("bench", "bench@example.org", "a long passphrase 42")
    Membership.objects.create(user=user, organisation=organisation, role="viewer")
    client = signed_in(Client(), user)
    url = reverse("console:dashboard", args=[campaign.slug])
    assert client.get(url).status_code == 200
    pages, figures = [], []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        response = client.get(url)
        pages.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
        began = time.perf_counter()
        campaign_figures(campaign)
        figures.append((time.perf_counter() - began) * 1000)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            client.get(url)
        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    return {
        "mandates": MANDATES,
        "tally rows": Tally.objects.filter(campaign=campaign).count(),
        "store mandates and tallies (s)": round(write_seconds, 1),
        "dashboard request median (ms)": round(statistics.median(pages), 1),
        "dashboard request p95 (ms)": round(sorted(pages)[int(len(pages) * 0.95)], 1),
        "figures alone median (ms)": round(statistics.median(figures), 1),
        "page size (kB)": round(len(response.content) / 1024, 1),
    }


def in_process(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--here"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_admin_url() -> str | None:
    url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    answered = subprocess.run(["psql", url, "-qtAc", "SELECT 1"], capture_output=True)
    return url if answered.returncode == 0 else None


def main():
    work = Path(tempfile.mkdtemp(prefix="recours-bench-console-"))
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    base |= {"RECOURS_MODE": "demo", "DEBUG": "1", "VAR_DIR": str(work),
             "ALLOWED_HOSTS": "testserver",
             "EMAIL_URL": "console://", "DJANGO_SETTINGS_MODULE": "recours.settings"}  # fmt: skip
    report = {}
    try:
        report["SQLite"] = in_process(base)
        admin = postgres_admin_url()
        if admin:
            name = f"recours_bench_console_{secrets.token_hex(4)}"
            subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
            try:
                url = admin.rsplit("/", 1)[0] + "/" + name
                report["PostgreSQL"] = in_process(base | {"DATABASE_URL": url})
            finally:
                subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nOrganisers' dashboard, {MANDATES:,} mandates over {DAYS} days, {REQUESTS} requests")
    names = list(next(iter(report.values())))
    print(f"{'':<34}" + "".join(f"{database:>14}" for database in report))
    for name in names:
        print(f"{name:<34}" + "".join(f"{report[db][name]:>14}" for db in report))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "console.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    if "--here" in sys.argv:
        print(json.dumps(run_here()))
    else:
        main()
