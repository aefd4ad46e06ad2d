"""Does the worker keep up with a surge? (issue 16)

    .venv/bin/python bench/mail.py        # BENCH_MAILS=3000 BENCH_SIGN_RATE=627

Receives BENCH_MAILS signatures the way the sign form does (sealed, stored in the sign
intake), then lets the worker's own turn (`core.worker.one_turn`: record a batch of 100
signatures, then send what is due over MAIL_CONNECTIONS SMTP connections at once) empty
the intake and the outbox into a real SMTP server on loopback (aiosmtpd, in a process of
its own): over one connection, over four, with two worker loops (two threads of one
process), and with two and three `manage.py send_emails` processes as production runs
them (one per core, and one more: each waits on the relay and the database part of the
time), the signatures committed at once after they started. On a SQLite file, and on
PostgreSQL when DATABASE_URL is set. A first round, not counted, warms the worker as a
running one is. Prints signatures/s
recorded and mailed, the CPU each costs the worker, the SMTP server (which a real relay
would not take from these cores) and PostgreSQL, and what would wait (intake and outbox)
after a 60-second surge at the sign rate: BENCH_SIGN_RATE, else the best signatures/s of
the latest `bench/load.py` run on the same database (var/bench/http-*.json).
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
from recours.core.tests.appserver import DATA_KEY, PEPPER, free_port  # noqa: E402

WORK = Path(tempfile.mkdtemp(prefix="recours-bench-mail-"))
ADMIN_URL = os.environ.pop("DATABASE_URL", "")
RUN = uuid.uuid4().hex[:8]
DATABASE = f"recours_bench_mail_{RUN}" if ADMIN_URL else ""
if ADMIN_URL:
    subprocess.run(["psql", ADMIN_URL, "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
    os.environ["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE
# DEBUG off, as a production worker runs (with it, Django would also log and keep every
# statement), with the secrets the app server tests set.
os.environ.update({"RECOURS_MODE": "demo", "DEBUG": "0", "SECRET_KEY": "s" * 60,
                   "PEPPER": PEPPER, "DATA_KEY": DATA_KEY, "VAR_DIR": str(WORK)})  # fmt: skip
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from processes import cpu_seconds_by_process  # noqa: E402 - bench/, beside this file

from recours.campaigns.domain import published_texts  # noqa: E402
from recours.campaigns.models import Organisation  # noqa: E402
from recours.core.crypto import generate_keypair  # noqa: E402
from recours.core.models import OutboxEmail  # noqa: E402
from recours.core.worker import one_turn  # noqa: E402
from recours.mandates import domain, intake  # noqa: E402
from recours.mandates.identity import SignerIdentity  # noqa: E402
from recours.mandates.models import SignIntake  # noqa: E402
from recours.testing import make_campaign  # noqa: E402

MAILS = int(os.environ.get("BENCH_MAILS", "3000"))
WARM_UP = 200
PLURALS = {"loop": ("loop", "loops"), "process": ("process", "processes")}


def sign_rate(label: str) -> float:
    """BENCH_SIGN_RATE, else the best sign rate of the latest load bench on `label`'s
    database, else 645/s (the best the form took on this kind of machine so far)."""
    if os.environ.get("BENCH_SIGN_RATE"):
        return float(os.environ["BENCH_SIGN_RATE"])
    for report in sorted((ROOT / "var" / "bench").glob("http-*.json"), reverse=True):
        runs = json.loads(report.read_text())
        run = next((figures for name, figures in runs.items() if name.startswith(label)), None)
        rates = [
            scenario["requests_s"]
            for by_scenario in (run or {}).values() if isinstance(by_scenario, dict)
            for name, scenario in by_scenario.items()
            if name.startswith("sign POST") and isinstance(scenario, dict)
        ]  # fmt: skip
        if rates:
            return max(rates)
    return 645.0


def cpu_seconds(keep) -> float:
    """CPU seconds used so far by the processes whose (pid, name) `keep` accepts."""
    return sum(used for pid, name, _, used in cpu_seconds_by_process() if keep(pid, name))


def queue(campaign, start: int, count: int) -> None:
    texts = published_texts(campaign)
    for number in range(start, start + count):
        signature = domain.prepare_signature(
            campaign=campaign,
            # Addresses of this run only: the mails-per-recipient limit counts in Redis, which
            # outlives a run, and refused the mails of the fifth run in an hour.
            identity=SignerIdentity("Camille", "Martin", f"mail{number}-{RUN}@example.org", ""),
            texts=texts,
            language="fr",
        )
        intake.receive_signature(signature)


def drain(workers: int) -> tuple[float, float]:
    """Seconds for `workers` worker loops to empty the intake and the outbox, and the CPU
    seconds their PostgreSQL backends used (each loop's connection ends with it, and an
    ended process is no longer in /proc to be read)."""
    backends = []

    def loop():
        try:
            while True:
                handled, counts = one_turn(100)
                if not handled and not counts["sent"]:
                    break
            if ADMIN_URL:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    (backend,) = cursor.fetchone()
                backends.append(cpu_seconds(lambda pid, name: pid == backend))
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sum(backends)


def drain_processes(count: int, connections: int, port: int, campaign, start: int):
    """Seconds for `count` `manage.py send_emails` processes, as production runs them,
    to empty the intake and the outbox of MAILS signatures received at once, and their
    CPU seconds. They start (and load Django) before the signatures are committed."""
    env = os.environ | {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "MAIL_CONNECTIONS": str(connections),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_emails", "--interval", "0.05"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(count)
    ]
    try:
        time.sleep(3)
        with transaction.atomic():  # all at once, as a surge's first seconds
            queue(campaign, start, MAILS)
        started = time.perf_counter()
        pids = {worker.pid for worker in workers}
        before = cpu_seconds(lambda pid, name: pid in pids)
        waiting = OutboxEmail.objects.filter(status__in=["queued", "sending"])
        while SignIntake.objects.exists() or waiting.exists():
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        return seconds, cpu_seconds(lambda pid, name: pid in pids) - before
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()


def main():
    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(
        name="Bench", registration_number="W0", registered_office="Paris",
        statutory_object="Bench", contact_email="bench@example.org",
    )  # fmt: skip
    campaign = make_campaign(organisation, generate_keypair()[0], slug="bench")
    label = "PostgreSQL" if ADMIN_URL else "SQLite"
    rate_signed = sign_rate(label)
    rows = []
    # (worker loops of this process or worker processes, how many, SMTP connections each).
    rounds = [("loop", 1, 1), ("loop", 1, 4), ("loop", 2, 4), ("process", 2, 4), ("process", 3, 4)]
    # The SMTP server in a process of its own: in this one it would share the worker's GIL.
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.5)
    smtp_cpu = lambda: cpu_seconds(lambda pid, name: pid == server.pid)  # noqa: E731
    postgres_cpu = lambda: cpu_seconds(lambda pid, name: name.startswith("postgres"))  # noqa: E731
    try:
        smtp = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": port, "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10}  # fmt: skip
        with override_settings(**smtp):
            queue(campaign, 0, WARM_UP)
            drain(1)
            for round_number, (kind, workers, connections) in enumerate(rounds):
                start = WARM_UP + round_number * MAILS
                if kind == "process":
                    smtp_before = smtp_cpu()
                    seconds, worker_cpu = drain_processes(
                        workers, connections, port, campaign, start
                    )
                    # Their backends end with them: PostgreSQL's share is not read here.
                    used = (worker_cpu, smtp_cpu() - smtp_before, None)
                else:
                    queue(campaign, start, MAILS)
                    before = (time.process_time(), smtp_cpu(), postgres_cpu())
                    with override_settings(MAIL_CONNECTIONS=connections):
                        seconds, backends_cpu = drain(workers)
                    after = (time.process_time(), smtp_cpu(), postgres_cpu() + backends_cpu)
                    used = tuple(b - a for a, b in zip(before, after, strict=True))
                worker_ms, smtp_ms, postgres_ms = (
                    None if value is None else round(value * 1000 / MAILS, 2) for value in used
                )
                left = (
                    OutboxEmail.objects.filter(status="queued").count() + SignIntake.objects.count()
                )
                rate = MAILS / seconds
                rows.append({"workers": f"{workers} {PLURALS[kind][workers > 1]}",
                             "connections": connections, "mails": MAILS,
                             "seconds": round(seconds, 2), "signatures_s": round(rate),
                             "worker_cpu_ms": worker_ms, "smtp_server_cpu_ms": smtp_ms,
                             "postgres_cpu_ms": postgres_ms if ADMIN_URL else None,
                             "left_queued": left, "sign_rate": rate_signed,
                             "depth_after_60s_surge": max(0, round(60 * (rate_signed - rate)))})  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    print(f"\nWorker (record, then mail), {label}, into aiosmtpd (its own process) on loopback")
    print(f"{'worker':>11} {'SMTP conn':>9} {'signed':>6} {'seconds':>8} {'recorded+mailed/s':>17} "
          f"{'CPU ms worker+smtpd+pg':>23} {'left':>5} "
          f"{'waiting after 60 s at ' + str(int(rate_signed)) + '/s':>28}")  # fmt: skip
    for row in rows:
        cpu = f"{row['worker_cpu_ms']:.2f}+{row['smtp_server_cpu_ms']:.2f}+" + (
            f"{row['postgres_cpu_ms']:.2f}" if row["postgres_cpu_ms"] is not None else "-"
        )
        print(f"{row['workers']:>11} {row['connections']:>9} {row['mails']:>6} {row['seconds']:>8} "
              f"{row['signatures_s']:>17} {cpu:>23} {row['left_queued']:>5} "
              f"{row['depth_after_60s_surge']:>28}")  # fmt: skip
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
