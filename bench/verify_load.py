"""count.json while six clients loop on a receipt's check, with a long log stored.

    .venv/bin/python bench/verify_load.py     # BENCH_VERIFY_ENTRIES=300000 BENCH_SECONDS=5

The hostile review saw six clients looping on `/<slug>/transparency/verify/` push
count.json to 19 s at 300,000 log entries, when every check hashed every entry. Here:
gunicorn with production settings on SQLite (and PostgreSQL with Redis when DATABASE_URL
is set), the log preloaded by bench/preload.py, then wrk on count.json alone, and again
while six threads check a real receipt in a loop. Prints a table; writes JSON under
var/bench/.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, SECONDS, AppServer, preload, wrk  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_VERIFY_ENTRIES", "300000"))
HAMMERS = 6


def hammer(url: str, until: float, latencies: list[float]) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
            response.read()
        latencies.append((time.perf_counter() - started) * 1000)


def run(database_url: str, redis_url: str) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="recours-verify-bench-"))
    app = AppServer(folder, database_url=database_url, workers=4)
    app.env["REDIS_URL"] = redis_url
    app.prepare().start()
    try:
        preload(app, ENTRIES, 0, folder / "tokens.txt")
        position, commitment = app.manage("shell", "-c", (
            "from recours.mandates.models import LogEntry; "
            "e = LogEntry.objects.order_by('position')[1000]; print(e.position, e.commitment)"
        )).split()[-2:]  # fmt: skip
        base = f"http://127.0.0.1:{app.port}"
        verify = (
            f"{base}/technopolice/transparency/verify/?commitment={commitment}&position={position}"
        )
        env = {"BENCH_DIR": str(folder), "BENCH_MODE": "get"}
        alone = wrk(app.port, "/technopolice/count.json", 8, env)
        latencies: list[float] = []
        until = time.monotonic() + SECONDS + 2
        threads = [threading.Thread(target=hammer, args=(verify, until, latencies))
                   for _ in range(HAMMERS)]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(1)
        hammered = wrk(app.port, "/technopolice/count.json", 8, env)
        for thread in threads:
            thread.join()
    finally:
        app.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "count.json alone": alone,
        "count.json, 6 clients on verify": hammered,
        "verify": {"checks": len(latencies),
                   "median_ms": round(statistics.median(latencies), 1) if latencies else None},
    }  # fmt: skip


def main():
    report = {"SQLite": run("", "")}
    if os.environ.get("DATABASE_URL"):
        import subprocess
        import uuid

        name = f"recours_verify_bench_{uuid.uuid4().hex[:8]}"
        admin = os.environ["DATABASE_URL"]
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        try:
            url = admin.rsplit("/", 1)[0] + "/" + name
            report["PostgreSQL + Redis"] = run(
                url, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
            )
        finally:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=False)
    print(f"\ncount.json under receipt checks, {ENTRIES:,} log entries, 8 connections, {SECONDS} s")
    print(f"{'database':<20} {'scenario':<34} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for database, figures in report.items():
        for scenario in ("count.json alone", "count.json, 6 clients on verify"):
            f = figures[scenario]
            print(f"{database:<20} {scenario:<34} {f['requests_s']:>7} {f['p50_ms']:>8} "
                  f"{f['p99_ms']:>8}")  # fmt: skip
        v = figures["verify"]
        print(f"{database:<20} {'receipt checks done (median ms)':<34} {v['checks']:>7} "
              f"{v['median_ms']:>8}")  # fmt: skip
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "verify_load.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
