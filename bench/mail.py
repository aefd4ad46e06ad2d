"""Does the worker keep up with a surge? (issue 16)

    .venv/bin/python bench/mail.py        # BENCH_MAILS=3000 BENCH_SIGN_RATE=645

Receives BENCH_MAILS signatures the way the sign form does (sealed, stored in the sign
intake), then lets the worker's own turn (`core.worker.one_turn`: record a batch of 100
signatures, then send what is due over one SMTP connection) empty the intake and the
outbox into a real SMTP server on loopback (aiosmtpd, in a process of its own), with one
worker loop and then two threads of one process. On a SQLite file, and on PostgreSQL when
DATABASE_URL is set. Prints signatures/s recorded and mailed, and what would wait (intake
and outbox) after a 60-second surge at BENCH_SIGN_RATE signatures/s (the sign rate
`bench/load.py` measured).
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="recours-bench-mail-"))
ADMIN_URL = os.environ.pop("DATABASE_URL", "")
DATABASE = f"recours_bench_mail_{uuid.uuid4().hex[:8]}" if ADMIN_URL else ""
if ADMIN_URL:
    subprocess.run(["psql", ADMIN_URL, "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
    os.environ["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE
os.environ.update({"RECOURS_MODE": "demo", "DEBUG": "1", "VAR_DIR": str(WORK)})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from recours.campaigns.domain import published_texts  # noqa: E402
from recours.campaigns.models import Organisation  # noqa: E402
from recours.core.crypto import generate_keypair  # noqa: E402
from recours.core.models import OutboxEmail  # noqa: E402
from recours.core.tests.appserver import free_port  # noqa: E402
from recours.core.worker import one_turn  # noqa: E402
from recours.mandates import domain, intake  # noqa: E402
from recours.mandates.identity import SignerIdentity  # noqa: E402
from recours.mandates.models import SignIntake  # noqa: E402
from recours.testing import make_campaign  # noqa: E402

MAILS = int(os.environ.get("BENCH_MAILS", "3000"))
SIGN_RATE = float(os.environ.get("BENCH_SIGN_RATE", "645"))


def queue(campaign, start: int) -> None:
    texts = published_texts(campaign)
    for number in range(start, start + MAILS):
        signature = domain.prepare_signature(
            campaign=campaign,
            identity=SignerIdentity("Camille", "Martin", f"mail{number}@example.org", ""),
            texts=texts,
            language="fr",
        )
        intake.receive_signature(signature)


def drain(workers: int) -> float:
    """Seconds for `workers` worker loops to empty the intake and the outbox."""

    def loop():
        try:
            while True:
                handled, counts = one_turn(100)
                if not handled and not counts["sent"]:
                    break
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main():
    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(
        name="Bench", registration_number="W0", registered_office="Paris",
        statutory_object="Bench", contact_email="bench@example.org",
    )  # fmt: skip
    campaign = make_campaign(organisation, generate_keypair()[0], slug="bench")
    label = "PostgreSQL" if ADMIN_URL else "SQLite"
    rows = []
    worker_counts = [1, 2] if ADMIN_URL else [1]  # SQLite writers wait on one lock
    # The SMTP server in a process of its own: in this one it would share the worker's GIL.
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.5)
    try:
        smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10}  # fmt: skip
        with override_settings(**smtp):
            for round_number, workers in enumerate(worker_counts):
                queue(campaign, round_number * MAILS)
                seconds = drain(workers)
                left = (
                    OutboxEmail.objects.filter(status="queued").count() + SignIntake.objects.count()
                )
                rate = MAILS / seconds
                rows.append({"workers": workers, "mails": MAILS, "seconds": round(seconds, 2),
                             "signatures_s": round(rate), "left_queued": left,
                             "depth_after_60s_surge": max(0, round(60 * (SIGN_RATE - rate)))})  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    print(f"\nWorker (record, then mail), {label}, into aiosmtpd (its own process) on loopback")
    print(f"{'workers':>7} {'signed':>6} {'seconds':>8} {'recorded+mailed/s':>17} {'left':>5} "
          f"{'waiting after 60 s at ' + str(int(SIGN_RATE)) + '/s':>28}")  # fmt: skip
    for row in rows:
        print(f"{row['workers']:>7} {row['mails']:>6} {row['seconds']:>8} {row['signatures_s']:>17} "
              f"{row['left_queued']:>5} {row['depth_after_60s_surge']:>28}")  # fmt: skip
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"mail-{label}-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(rows))


if __name__ == "__main__":
    try:
        main()
    finally:
        if ADMIN_URL:
            connection.close()
            subprocess.run(["psql", ADMIN_URL, "-qc", f"DROP DATABASE {DATABASE}"], check=False)
