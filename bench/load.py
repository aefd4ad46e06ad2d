"""HTTP benchmark of the public hot path against the production stack on loopback.

    .venv/bin/python bench/load.py        # BENCH_SECONDS=10 BENCH_CONNECTIONS=8,64,256

gunicorn (production settings) on SQLite, and on PostgreSQL with Redis when DATABASE_URL
(and REDIS_URL) are set; Debian's wrk drives the load from its own process. Scenarios:
the campaign page, count.json, sign POSTs with distinct identities (real form, CSRF and
a fresh one-time form key each), and a mix of 90 % page views and 10 % signatures.
Prints one table per database; writes JSON under var/bench/. Acknowledged signatures
(303/302 answers) are compared with the rows stored.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")

from recours.core.tests.appserver import AppServer, Client  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,64,256").split(",")]
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ONLY = os.environ.get("BENCH_ONLY", "")  # run only the scenarios whose name contains it
SLICE = 6_000  # distinct sign bodies per wrk thread and scenario (more than it can send)
BODIES = SLICE * 2 * 4  # 2 wrk threads, 4 scenarios that sign

LUA = r"""
local bodies = {}
local cookie, path_sign, mix = os.getenv("BENCH_COOKIE"), "/technopolice/signer/", tonumber(os.getenv("BENCH_MIX") or "100")
for line in io.lines(os.getenv("BENCH_BODIES")) do bodies[#bodies + 1] = line end
local counter = 0
acknowledged = 0
local threads = {}
-- Each scenario and each thread takes its own slice of the bodies: no form is sent twice
-- (a repeated form is answered, idempotently, without a new row).
local base, slice = tonumber(os.getenv("BENCH_BASE")), tonumber(os.getenv("BENCH_SLICE"))
function setup(thread)
  thread:set("offset", base + #threads * slice)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  if mix < 100 and (counter % 10) ~= 0 then
    return wrk.format("GET", "/technopolice/")
  end
  local body = bodies[offset + (counter % slice) + 1]
  return wrk.format("POST", path_sign, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie, ["Origin"] = os.getenv("BENCH_ORIGIN"),
    ["Referer"] = os.getenv("BENCH_ORIGIN") .. "/technopolice/"}, body)
end
response = function(status, headers, body)
  if status == 302 then acknowledged = acknowledged + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("acknowledged") end
  io.write(string.format("BENCH acknowledged=%d\n", total))
end
"""


def wrk(port: int, path: str, connections: int, env: dict | None = None) -> dict:
    script = []
    if env:
        lua = Path(env["BENCH_DIR"]) / "sign.lua"
        lua.write_text(LUA)
        script = ["-s", str(lua)]
    started = os.times()
    done = subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{SECONDS}s",
            "--latency",
            *script,
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    ended = os.times()
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?):\s+(\d+)", out)
    )
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    total = int(re.search(r"(\d+) requests in", out).group(1))
    wrk_cpu = (ended.children_user + ended.children_system) - (
        started.children_user + started.children_system
    )
    acknowledged = re.search(r"BENCH acknowledged=(\d+)", out)
    return {
        "acknowledged": int(acknowledged.group(1)) if acknowledged else 0,
        "requests_s": round(rate),
        "p50_ms": round(float(p50.group(1)) * scale[p50.group(2)], 1),
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 1),
        "errors": errors,
        "requests": total,
        "wrk_cpu_share": round(wrk_cpu / SECONDS / os.cpu_count(), 2),
    }


def server_memory_mb(app: AppServer) -> int:
    """Largest resident set among the gunicorn processes now."""
    pids = subprocess.run(
        ["pgrep", "-g", str(app.process.pid)], capture_output=True, text=True
    ).stdout.split()
    largest = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS"):
                    largest = max(largest, int(line.split()[1]))
        except OSError:
            continue
    return largest // 1024


def prepare_bodies(app: AppServer, folder: Path) -> tuple[str, Path]:
    """One CSRF cookie and many distinct sign bodies, each with its own signed form key,
    made with the server's own secret (the bench sets it) instead of one GET each."""
    import django
    from django.conf import settings

    os.environ.update({k: v for k, v in app.env.items() if k in {"SECRET_KEY", "PEPPER", "DEBUG"}})
    django.setup()
    from urllib.parse import urlencode

    from recours.core.testing import old_clock

    client = Client(app.port)
    hidden = client.form("/technopolice/")
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    assert settings.SECRET_KEY == app.env["SECRET_KEY"]
    path = folder / "bodies.txt"
    with path.open("w") as out:
        for n in range(BODIES):
            fields = {
                **{k: v for k, v in hidden.items() if k not in {"next", "clock"}},
                "clock": old_clock(seconds_ago=60),
                "given_names": "Camille",
                "surname": "Martin-" + _letters(n),
                "email": f"bench{n}@example.org",
                "postal_address": "1 rue de la Paix, 75002 Paris",
                "consent": "on",
                "privacy": "on",
                "website": "",
            }
            out.write(urlencode(fields) + "\n")
    return cookie, path


def _letters(number: int) -> str:
    """A distinct alphabetic suffix (names accept letters only)."""
    out = ""
    while True:
        number, digit = divmod(number, 26)
        out += chr(ord("a") + digit)
        if not number:
            return out


def stored_mandates(app: AppServer) -> int:
    script = "from recours.mandates.models import Mandate; print(Mandate.objects.count())"
    return int(app.manage("shell", "-c", script).strip().splitlines()[-1])


def run(label: str, database_url: str, redis_url: str) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="recours-http-bench-"))
    app = AppServer(folder, database_url=database_url, workers=WORKERS)
    app.env["REDIS_URL"] = redis_url
    app.prepare().start()
    results = {}
    try:
        cookie, bodies = prepare_bodies(app, folder)
        env = {
            "BENCH_DIR": str(folder),
            "BENCH_BODIES": str(bodies),
            "BENCH_COOKIE": cookie,
            "BENCH_ORIGIN": f"http://127.0.0.1:{app.port}",
        }
        for connections in CONNECTIONS:
            for name, path in [
                ("page GET", "/technopolice/"),
                ("count.json GET", "/technopolice/count.json"),
            ]:
                if ONLY in name:
                    results[f"{name}, {connections} conn"] = wrk(app.port, path, connections)
        scenarios = [("sign POST, 64 conn", "/technopolice/signer/", 64, "100")] + [
            (f"mixed 90/10, {c} conn", "/technopolice/", c, "10") for c in CONNECTIONS
        ]
        for index, (name, path, connections, mix) in enumerate(scenarios):
            if ONLY not in name:
                continue
            before = stored_mandates(app)
            slices = {"BENCH_BASE": str(index * 2 * SLICE), "BENCH_SLICE": str(SLICE)}
            results[name] = wrk(app.port, path, connections, {**env, **slices, "BENCH_MIX": mix})
            # Requests still in flight when wrk stops are stored but never counted as
            # acknowledged: stored may exceed acknowledged, never the reverse.
            results[name]["stored"] = stored_mandates(app) - before
        results["server peak MB (largest process)"] = {"mb": server_memory_mb(app)}
    finally:
        app.stop()
        if database_url:
            subprocess.run(
                [
                    "psql",
                    os.environ["DATABASE_URL"],
                    "-qc",
                    f"DROP DATABASE {database_url.rsplit('/', 1)[1]}",
                ],
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)
    return results


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: scripts/install-system-packages installs it")
    runs = {"SQLite": ("", "")}
    if os.environ.get("DATABASE_URL"):
        name = f"recours_bench_{int(time.time())}"
        subprocess.run(
            ["psql", os.environ["DATABASE_URL"], "-qc", f"CREATE DATABASE {name}"], check=True
        )
        runs["PostgreSQL + Redis"] = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name,
            os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        )
    report = {}
    for label, (database_url, redis_url) in runs.items():
        results = run(label, database_url, redis_url)
        report[label] = results
        print(
            f"\nHTTP benchmark, {label}: gunicorn {WORKERS} sync workers, wrk 2 threads, {SECONDS} s each"
        )
        print(
            f"{'scenario':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'wrk CPU':>8}"
        )
        for name, figures in results.items():
            if "requests_s" in figures:
                print(
                    f"{name:<28} {figures['requests_s']:>8} {figures['p50_ms']:>8} "
                    f"{figures['p99_ms']:>8} {figures['errors']:>7} {figures['wrk_cpu_share']:>8}"
                )
        for name, figures in results.items():
            if "stored" in figures:
                print(
                    f"{name}: {figures['acknowledged']} signatures acknowledged, {figures['stored']} stored"
                )
        print(f"largest server process: {results['server peak MB (largest process)']['mb']} MB")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"http-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
