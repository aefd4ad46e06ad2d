"""HTTP benchmark of the public hot path against the production stack on loopback.

    .venv/bin/python bench/load.py        # BENCH_SECONDS=10 BENCH_CONNECTIONS=8,64,256

gunicorn (production settings) on SQLite, and on PostgreSQL with Redis when DATABASE_URL
(and REDIS_URL) are set; Debian's wrk drives the load from its own process. Scenarios:
the campaign page (also through a tagged link), count.json, the badge, the widget, sign
POSTs with distinct identities (real form, CSRF and
a fresh one-time form key each), and a mix of 90 % page views and 10 % signatures.
Each scenario with a counterpart in bench/reference_views.py (the work a request cannot
avoid, on the same stack) also runs against it right after, and the table gives the
reference's figures and Recours's ratio to it, with the machine's load average.
Prints one table per database; writes JSON under var/bench/. Acknowledged signatures
(302 answers) and confirmations (200) are compared with the rows stored (a signature is
stored once received: mandates/intake.py), and 5xx answers are counted apart from other
non-2xx/3xx ones. After each signing scenario the worker's turn at what it left waiting
is timed (signatures recorded per second, CPU per signature). Every scenario runs again with 0, 100,000
and 1,000,000 mandates already stored (BENCH_PRESTORED), put in by bench/preload.py.
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

from processes import cpu_seconds_by_process  # noqa: E402 - bench/, beside this file

from recours.core.tests.appserver import AppServer, Client  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,64,256").split(",")]
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
# More gunicorn options for both apps, to compare servers: "--worker-class gthread --threads 4".
SERVER_ARGS = os.environ.get("BENCH_SERVER_ARGS", "").split()
ONLY = os.environ.get("BENCH_ONLY", "")  # run only the scenarios whose name contains it
# Mandates already stored when the scenarios run: the cost of a request must not grow.
PRESTORED = [int(n) for n in os.environ.get("BENCH_PRESTORED", "0,100000,1000000").split(",")]
SLICE = 4_000  # distinct forms or links per wrk thread and scenario (more than it can send)
# The reference (bench/reference_views.py): the same paths on the same stack doing only the
# work a request cannot avoid; each scenario that has one runs against it right after.
REFERENCE = os.environ.get("BENCH_REFERENCE", "1") == "1"
# PostgreSQL settings for the bench's database, to measure them: "commit_delay=200 commit_siblings=2".
PG_SETTINGS = [item.split("=", 1) for item in os.environ.get("BENCH_PG_SETTINGS", "").split()]
REFERENCE_PATHS = {
    "/technopolice/", "/technopolice/count.json", "/technopolice/badge.svg",
    "/technopolice/signer/",
}  # fmt: skip

LUA = r"""
-- BENCH_MODE: get (the URL's path), sign (distinct sign forms), mix (9 page views, then
-- one sign form), confirm (distinct confirmation links). Each scenario and each thread
-- takes its own slice of the lines: no form or link is sent twice.
local mode, cookie, origin = os.getenv("BENCH_MODE"), os.getenv("BENCH_COOKIE"), os.getenv("BENCH_ORIGIN")
local lines = {}
if mode ~= "get" then
  for line in io.lines(os.getenv("BENCH_LINES")) do lines[#lines + 1] = line end
end
local base, slice = tonumber(os.getenv("BENCH_BASE") or "0"), tonumber(os.getenv("BENCH_SLICE") or "1")
local csrf = os.getenv("BENCH_CSRF")
local counter, posted = 0, 0
acknowledged, server_errors = 0, 0
local threads = {}
function setup(thread)
  thread:set("offset", base + #threads * slice)
  table.insert(threads, thread)
end
local function post(path, body)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = cookie,
    ["Origin"] = origin, ["Referer"] = origin .. path}, body)
end
request = function()
  counter = counter + 1
  if mode == "get" or (mode == "mix" and (counter % 10) ~= 0) then
    return wrk.format("GET", mode == "get" and wrk.path or "/technopolice/")
  end
  -- Counted apart from the page views of the mix: each POST takes the next line.
  local line = lines[offset + (posted % slice) + 1]
  posted = posted + 1
  if mode == "confirm" then
    return post("/technopolice/confirmer/" .. line .. "/", "csrfmiddlewaretoken=" .. csrf)
  end
  return post("/technopolice/signer/", line)
end
response = function(status, headers, body)
  if (mode == "confirm" and status == 200) or status == 302 then acknowledged = acknowledged + 1 end
  if status >= 500 then server_errors = server_errors + 1 end
end
done = function(summary, latency, requests)
  local ack, errors = 0, 0
  for _, thread in ipairs(threads) do
    ack = ack + thread:get("acknowledged")
    errors = errors + thread:get("server_errors")
  end
  io.write(string.format("BENCH acknowledged=%d server_errors=%d\n", ack, errors))
end
"""


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by each process of the app servers (gunicorn), PostgreSQL
    and Redis, by pid: the difference around a run, per program and divided by its
    requests, is each one's share of a request's cost on this machine."""
    seconds = {}
    for pid, name, command, used in cpu_seconds_by_process():
        program = (
            "app" if b"gunicorn" in command
            else "postgres" if name.startswith("postgres")
            else "redis" if name.startswith("redis")
            else None
        )  # fmt: skip
        if program:
            seconds[pid] = (program, used)
    return seconds


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """Per program, the CPU its processes used between two readings: a process that
    ended meanwhile is missed (a lower bound), one that started counts from zero."""
    used = dict.fromkeys(("app", "postgres", "redis"), 0.0)
    for pid, (program, seconds) in after.items():
        used[program] += seconds - before.get(pid, (program, 0.0))[1]
    return used


def wrk(port: int, path: str, connections: int, env: dict) -> dict:
    lua = Path(env["BENCH_DIR"]) / "scenario.lua"
    lua.write_text(LUA)
    started = os.times()
    cpu_before = cpu_by_process()
    done = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{SECONDS}s", "--latency",
         "-s", str(lua), f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )  # fmt: skip
    ended = os.times()
    cpu_used_s = cpu_used(cpu_before, cpu_by_process())
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    wrk_cpu = (ended.children_user + ended.children_system) - (
        started.children_user + started.children_system
    )
    tally = re.search(r"BENCH acknowledged=(\d+) server_errors=(\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "requests_s": round(rate),
        "p50_ms": round(float(p50.group(1)) * scale[p50.group(2)], 1),
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 1),
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "http_5xx": int(tally.group(2)),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "requests": requests,
        "acknowledged": int(tally.group(1)),
        "wrk_cpu_share": round(wrk_cpu / SECONDS / os.cpu_count(), 2),
        # CPU per request, in ms, of each program.
        "cpu_ms": {
            program: round(1000 * seconds / max(requests, 1), 2)
            for program, seconds in cpu_used_s.items()
        },
    }


def settled(app: AppServer) -> AppServer:
    """Waits until the server's processes have been idle for half a second: it answers
    once one worker is up, while the others may still be loading and warming the app
    (core/warmup.py), which the first scenario would otherwise count as its own CPU."""
    pids = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pids = {int(pid) for pid in subprocess.run(
            ["pgrep", "-g", str(app.process.pid)], capture_output=True, text=True
        ).stdout.split()}  # fmt: skip
        before = {pid: used for pid, (_, used) in cpu_by_process().items() if pid in pids}
        time.sleep(0.5)
        after = {pid: used for pid, (_, used) in cpu_by_process().items() if pid in pids}
        if len(pids) > app.workers and sum(after.values()) - sum(before.values()) < 0.02:
            return app
    return app


def server_peak_mb(app: AppServer) -> int:
    """The largest peak resident set (VmHWM) among the gunicorn processes."""
    pids = subprocess.run(
        ["pgrep", "-g", str(app.process.pid)], capture_output=True, text=True
    ).stdout.split()
    largest = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM"):
                    largest = max(largest, int(line.split()[1]))
        except OSError:
            continue
    return largest // 1024


def prepare_bodies(app: AppServer, folder: Path, count: int) -> tuple[str, str, Path]:
    """The CSRF cookie and token of the confirm button, and many distinct sign bodies,
    each with its own signed form key, made with the server's own secret (the bench sets
    it) instead of one GET each."""
    import django
    from django.conf import settings

    os.environ.update(
        {k: v for k, v in app.env.items() if k in {"SECRET_KEY", "PEPPER", "DATA_KEY", "DEBUG"}}
    )
    django.setup()
    from urllib.parse import urlencode

    from recours.testing import old_clock

    client = Client(app.port)
    hidden = client.form("/technopolice/")
    # The sign form needs no token (core/csrf.py); the confirm button keeps Django's, whose
    # cookie and token any page with such a form gives.
    csrf = client.form("/droits/")["csrfmiddlewaretoken"]
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    assert settings.SECRET_KEY == app.env["SECRET_KEY"]
    path = folder / "bodies.txt"
    with path.open("w") as out:
        for n in range(count):
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
    return cookie, csrf, path


def _letters(number: int) -> str:
    """A distinct alphabetic suffix (names accept letters only)."""
    out = ""
    while True:
        number, digit = divmod(number, 26)
        out += chr(ord("a") + digit)
        if not number:
            return out


def stored(app: AppServer) -> tuple[int, int]:
    """(signatures stored: mandates and signatures waiting for the worker, confirmed
    mandates) in the database now."""
    script = (
        "from recours.mandates.models import Mandate as M, SignIntake as I; "
        "print(M.objects.count() + I.objects.count(), M.objects.filter(status='confirmed').count())"
    )
    total, confirmed = app.manage("shell", "-c", script).split()[-2:]
    return int(total), int(confirmed)


DRAIN = """
import resource, time
from django.db import connection
from recours.mandates.intake import record_batch
started, cpu, recorded = time.monotonic(), time.process_time(), 0
while batch := record_batch(BATCH):
    recorded += batch
seconds, cpu = time.monotonic() - started, time.process_time() - cpu
print(recorded, round(seconds, 2), round(cpu, 2))
"""


def drain(app: AppServer, batch: int = 200) -> dict:
    """The worker's turn at what the sign scenario left waiting, timed: one worker
    process recording batches until none is left (the mail stays queued, measured by
    bench/mail.py). Its CPU per signature adds to the request's in the all-in cost."""
    out = app.manage("shell", "-c", DRAIN.replace("BATCH", str(batch))).split()[-3:]
    recorded, seconds, cpu = int(out[0]), float(out[1]), float(out[2])
    return {
        "recorded": recorded,
        "seconds": seconds,
        "per_s": round(recorded / seconds) if seconds else 0,
        "cpu_ms_each": round(1000 * cpu / recorded, 2) if recorded else 0,
    }


def preload(app: AppServer, confirmed: int, pending: int, tokens: Path) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "preload.py"), str(confirmed), str(pending), str(tokens)],
        env=app.env,
        check=True,
    )  # fmt: skip
    return time.monotonic() - started


def scenarios() -> list[tuple[str, str, int, str]]:
    """(name, path, connections, mode)."""
    out = []
    for connections in CONNECTIONS:
        out.append((f"page GET, {connections} conn", "/technopolice/", connections, "get"))
        out.append(
            (f"count.json GET, {connections} conn", "/technopolice/count.json", connections, "get")
        )
    # The other cached reads a surge brings: a view through a shared link (counted per
    # channel in the cache), the badge other sites embed, and the widget they frame.
    out.append(("page GET ?via=, 64 conn", "/technopolice/?via=mastodon", 64, "get"))
    out.append(("badge.svg GET, 64 conn", "/technopolice/badge.svg", 64, "get"))
    out.append(("widget GET, 64 conn", "/technopolice/widget/", 64, "get"))
    out.append(("sign POST, 64 conn", "/technopolice/signer/", 64, "sign"))
    out.append(("confirm POST, 64 conn", "/technopolice/", 64, "confirm"))
    for connections in CONNECTIONS:
        out.append((f"mixed 90/10, {connections} conn", "/technopolice/", connections, "mix"))
    return [scenario for scenario in out if ONLY in scenario[0]]


def run(database_url: str, redis_url: str) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="recours-http-bench-"))
    app = AppServer(folder, database_url=database_url, workers=WORKERS, server_args=SERVER_ARGS)
    app.env["REDIS_URL"] = redis_url
    settled(app.prepare().start())
    reference = None
    results = {}
    signing = [s for s in scenarios() if s[3] in {"sign", "mix"}]
    try:
        cookie, csrf, bodies = prepare_bodies(
            app, folder, SLICE * 2 * 2 * len(signing) * len(PRESTORED)
        )
        if REFERENCE:
            reference = start_reference(app, folder)
        env = {"BENCH_DIR": str(folder), "BENCH_COOKIE": cookie, "BENCH_CSRF": csrf,
               "BENCH_ORIGIN": f"http://127.0.0.1:{app.port}", "BENCH_SLICE": str(SLICE)}  # fmt: skip
        sign_slice = 0
        for size in PRESTORED:
            tokens = folder / f"tokens-{size}.txt"
            already = stored(app)[1]
            seconds = preload(app, max(0, size - already), SLICE * 4, tokens)
            label = f"{size:,} stored"
            results[label] = {"preload_s": round(seconds, 1)}
            for name, path, connections, mode in scenarios():
                lines = {"get": {}, "confirm": {"BENCH_LINES": str(tokens), "BENCH_BASE": "0"}}.get(
                    mode, {"BENCH_LINES": str(bodies), "BENCH_BASE": str(sign_slice * 2 * SLICE)}
                )
                if mode in {"sign", "mix"}:
                    sign_slice += 1
                before = stored(app)
                figures = wrk(app.port, path, connections, {**env, **lines, "BENCH_MODE": mode})
                after = stored(app)
                # Requests in flight when wrk stops are stored but never counted as
                # acknowledged: stored may exceed acknowledged, never the reverse.
                if mode in {"sign", "mix"}:
                    figures["stored"] = after[0] - before[0]
                elif mode == "confirm":
                    figures["stored"] = after[1] - before[1]
                figures["load_1min"] = round(os.getloadavg()[0], 2)
                if reference is not None and (path in REFERENCE_PATHS or mode == "confirm"):
                    # Right after, on fresh forms or links of its own.
                    if mode in {"sign", "mix"}:
                        lines = {**lines, "BENCH_BASE": str(sign_slice * 2 * SLICE)}
                        sign_slice += 1
                    elif mode == "confirm":
                        lines = {**lines, "BENCH_BASE": str(2 * SLICE)}
                    ref = wrk(reference.port, path, connections,
                              {**env, **lines, "BENCH_MODE": mode})  # fmt: skip
                    figures["reference"] = ref
                    figures["ratio"] = round(figures["requests_s"] / max(ref["requests_s"], 1), 2)
                if mode in {"sign", "mix"}:
                    figures["worker"] = drain(app)
                results[label][name] = figures
        results["server peak MB (largest process)"] = server_peak_mb(app)
    finally:
        app.stop()
        if reference is not None:
            reference.stop()
        if database_url:
            subprocess.run(
                ["psql", os.environ["DATABASE_URL"], "-qc", f"DROP DATABASE {database_url.rsplit('/', 1)[1]}"],
                check=False,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
    return results


def start_reference(app: AppServer, folder: Path) -> AppServer:
    """The reference app on the same database and cache, serving the bytes Recours
    serves for its cached reads, taken from Recours itself."""
    served = folder / "reference-bytes"
    served.mkdir()
    client = Client(app.port)
    for name, path in (("page", "/technopolice/"), ("count", "/technopolice/count.json"),
                       ("badge", "/technopolice/badge.svg")):  # fmt: skip
        (served / name).write_text(client.get(path)[2])
    reference = AppServer(
        folder, database_url=app.env["DATABASE_URL"], workers=WORKERS, server_args=SERVER_ARGS
    )
    reference.env.update(
        {key: app.env[key] for key in ("SECRET_KEY", "PEPPER", "DATA_KEY", "REDIS_URL")}
    )
    reference.env["DJANGO_SETTINGS_MODULE"] = "bench.reference_settings"
    reference.env["BENCH_BYTES_DIR"] = str(served)
    return settled(reference.start())


def print_table(label: str, results: dict) -> None:
    print(
        f"\nHTTP benchmark, {label}: gunicorn {WORKERS} workers {' '.join(SERVER_ARGS) or 'sync'},"
        f" wrk 2 threads, {SECONDS} s each"
    )
    header = f"{'stored':>10} {'scenario':<26} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>7} {'5xx':>4} {'sock':>5} {'acked':>6} {'stored':>6} {'wrk CPU':>7} {'load':>5} {'ref/s':>6} {'ref p99':>7} {'ratio':>5} {'CPU ms app+pg+redis':>19} {'ref CPU ms':>15}"
    print(header)
    print("-" * len(header))
    for size_label, by_scenario in results.items():
        if not isinstance(by_scenario, dict):
            continue
        size = size_label.split()[0]
        for name, f in by_scenario.items():
            if not isinstance(f, dict):
                continue
            acked = f["acknowledged"] if "stored" in f else ""
            ref = f.get("reference", {})
            print(
                f"{size:>10} {name:<26} {f['requests_s']:>7} {f['p50_ms']:>8} {f['p99_ms']:>8} "
                f"{f['non_2xx_3xx']:>7} {f['http_5xx']:>4} {f['socket_errors']:>5} {acked:>6} "
                f"{f.get('stored', ''):>6} {f['wrk_cpu_share']:>7} {f.get('load_1min', ''):>5} "
                f"{ref.get('requests_s', ''):>6} {ref.get('p99_ms', ''):>7} {f.get('ratio', ''):>5} "
                f"{_cpu(f):>19} {_cpu(ref):>15}"
            )
            if "worker" in f:
                w = f["worker"]
                print(
                    f"{'':>10}   then the worker: {w['recorded']} recorded in {w['seconds']} s "
                    f"({w['per_s']}/s, {w['cpu_ms_each']} ms CPU each)"
                )
        print(f"{size:>10} (preload took {by_scenario['preload_s']} s)")
    print(f"largest server process, peak: {results['server peak MB (largest process)']} MB")


def _cpu(figures: dict) -> str:
    cpu = figures.get("cpu_ms")
    return "+".join(f"{cpu[p]:.2f}" for p in ("app", "postgres", "redis")) if cpu else ""


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: scripts/install-system-packages installs it")
    # BENCH_SQLITE=0 measures PostgreSQL alone (with DATABASE_URL).
    runs = {"SQLite": ("", "")} if os.environ.get("BENCH_SQLITE", "1") == "1" else {}
    if os.environ.get("DATABASE_URL"):
        name = f"recours_bench_{int(time.time())}"
        subprocess.run(
            ["psql", os.environ["DATABASE_URL"], "-qc", f"CREATE DATABASE {name}"], check=True
        )
        for setting, value in PG_SETTINGS:
            subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc",
                            f"ALTER DATABASE {name} SET {setting} = '{value}'"], check=True)  # fmt: skip
        runs["PostgreSQL + Redis"] = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name,
            os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        )
    report = {}
    for label, (database_url, redis_url) in runs.items():
        report[label] = run(database_url, redis_url)
        print_table(label, report[label])
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"http-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
