"""Benchmark of the OpenStreetMap camera import at national scale.

    .venv/bin/python bench/observatory.py      # BENCH_CAMERAS=1000000

Imports the communes (the real outlines when BENCH_COMMUNES_DIR holds the
fr-admin-boundaries and fr-communes-insee folders, else a synthetic grid of 35,000
square communes over France) and, with the real outlines, the 1,255 intercommunalités of
the project's demo extract; writes a PBF extract of BENCH_CAMERAS surveillance nodes
whose tags are drawn from the shipped Swiss OSM sample (so the tag mix is real) and whose
positions are spread over the communes, then times `import_osm_cameras` in its own
process (wall time and peak memory), first into an empty layer, then again unchanged.
Then times the place pages and the map data with that volume (bench/observatory_pages.py).
On SQLite, then on PostgreSQL with Redis when DATABASE_URL is set. Prints tables; writes
JSON under var/bench/.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recours.core.tests.appserver import AppServer  # noqa: E402

CAMERAS = int(os.environ.get("BENCH_CAMERAS", "1000000"))
SHARED = ROOT.parent / "shared" / "data"
COMMUNES_DIR = Path(os.environ.get("BENCH_COMMUNES_DIR", str(SHARED)))
SAMPLE = ROOT / "recours" / "observatory" / "data" / "osm-surveillance-ch-2023-sample.geojson"
EPCI = ROOT / "recours" / "observatory" / "data" / "demo" / "epci.json.gz"


# Issue 5's goal: a national extract (1,000,000 cameras) imports in under 60 s and 2 GB.
CAMERA_GOAL_STEPS = {"import cameras (empty layer)", "re-import, unchanged"}


def timed(app: AppServer, *args: str) -> tuple[float, int, str]:
    """Runs a management command; returns (seconds, peak resident MB, its output)."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "BENCH %e %M", sys.executable, "manage.py", *args],
        cwd=ROOT, env=app.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds, kilobytes = re.search(r"BENCH ([\d.]+) (\d+)", done.stderr).groups()
    return float(seconds), int(kilobytes) // 1024, done.stdout.strip().splitlines()[0]


def reference_seconds() -> float:
    """A fixed pure-Python loop, printed beside the figures: machines of the same kind
    differ by a factor of two from one day to the next, and this says which day it was."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return round(time.perf_counter() - started, 2)


def synthetic_communes(folder: Path) -> Path:
    """35,000 square communes (175 × 200) over metropolitan France's bounding box."""
    features, size_lon, size_lat = [], 14.5 / 175, 10.0 / 200
    for i in range(175):
        for j in range(200):
            lon, lat = -5.0 + i * size_lon, 41.5 + j * size_lat
            ring = [[lon, lat], [lon + size_lon, lat], [lon + size_lon, lat + size_lat],
                    [lon, lat + size_lat], [lon, lat]]  # fmt: skip
            features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                             "properties": {"code": f"{i:03d}{j:03d}", "nom": f"C{i}-{j}"}})  # fmt: skip
    path = folder / "communes.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def write_extract(path: Path, boxes: list[tuple[float, float, float, float]]) -> None:
    import osmium

    tag_mix = [
        {k: str(v) for k, v in feature["properties"].items() if k not in {"osm_type", "osm_id"}}
        for feature in json.loads(SAMPLE.read_text())["features"]
    ]
    rng = random.Random(2026)
    writer = osmium.SimpleWriter(str(path))
    for osm_id in range(1, CAMERAS + 1):
        min_lon, min_lat, max_lon, max_lat = rng.choice(boxes)
        location = (rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat))
        writer.add_node(
            osmium.osm.mutable.Node(
                id=osm_id, location=location, version=1, tags=rng.choice(tag_mix)
            )
        )
    writer.close()


def run(database_url: str, redis_url: str) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="recours-observatory-bench-"))
    app = AppServer(folder, database_url=database_url)
    app.env["REDIS_URL"] = redis_url
    results = {}
    try:
        app.manage("migrate", "--no-input")
        real = COMMUNES_DIR / "fr-admin-boundaries" / "communes-2018-simplified.geojson"
        if real.exists():
            boundaries = COMMUNES_DIR / "fr-admin-boundaries"
            args = ["--communes", str(real), "--insee", str(COMMUNES_DIR / "fr-communes-insee"),
                    "--departements", str(boundaries / "departements-avec-outre-mer-simplified.geojson"),
                    "--regions", str(boundaries / "regions-avec-outre-mer-simplified.geojson")]  # fmt: skip
            results["label"] = "35,357 real commune outlines"
        else:
            args = ["--communes", str(synthetic_communes(folder))]
            results["label"] = "35,000 synthetic square communes"
        steps = results["steps"] = {}
        seconds, mb, out = timed(app, "import_places", *args)
        steps["import places"] = {"seconds": seconds, "peak_mb": mb, "output": out}
        if real.exists():
            seconds, mb, out = timed(app, "import_epci", str(EPCI))
            steps["import intercommunalités"] = {"seconds": seconds, "peak_mb": mb, "output": out}
        boxes = json.loads(app.manage("shell", "-c", (
            "import json; from recours.observatory.models import Place; print(json.dumps(list("
            "Place.objects.filter(kind='commune', merged_into=None).values_list("
            "'min_lon', 'min_lat', 'max_lon', 'max_lat'))))"
        )).strip().splitlines()[-1])  # fmt: skip
        extract = folder / "cameras.osm.pbf"
        started = time.monotonic()
        write_extract(extract, boxes)
        steps["write PBF extract"] = {"seconds": round(time.monotonic() - started, 1), "peak_mb": 0,
                                      "output": f"{extract.stat().st_size // 1024 // 1024} MB"}  # fmt: skip
        for name in ["import cameras (empty layer)", "re-import, unchanged"]:
            seconds, mb, out = timed(app, "import_osm_cameras", str(extract))
            steps[name] = {"seconds": seconds, "peak_mb": mb, "output": out}
        app.manage("collectstatic", "--no-input")
        pages = subprocess.run(
            [sys.executable, "bench/observatory_pages.py"],
            cwd=ROOT, env=app.env, capture_output=True, text=True,
        )  # fmt: skip
        if pages.returncode:
            sys.exit(f"observatory_pages.py failed:\n{pages.stderr[-3000:]}")
        results["pages"] = json.loads(pages.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def print_tables(database: str, results: dict, reference: float) -> None:
    print(f"\nObservatory import, {database}: {CAMERAS:,} camera nodes, {results['label']}")
    print(f"(this machine: a 10,000,000-step Python loop takes {reference} s)")
    print(f"{'step':<30} {'seconds':>8} {'peak MB':>8} {'goal':>12}  output")
    for name, figures in results["steps"].items():
        goal = ""
        if name in CAMERA_GOAL_STEPS and CAMERAS == 1_000_000:
            met = figures["seconds"] < 60 and figures["peak_mb"] < 2048
            goal = "<60 s: met" if met else "<60 s: MISSED"
        print(
            f"{name:<30} {figures['seconds']:>8} {figures['peak_mb']:>8} {goal:>12}  "
            f"{figures['output'][:90]}"
        )
    print(f"\nObservatory pages, {database}, server time in process, {CAMERAS:,} cameras stored")
    print(f"{'page':<36} {'median ms':>10} {'p95 ms':>8} {'bytes':>11}")
    for name, figures in results["pages"].items():
        print(
            f"{name:<36} {figures['median_ms']:>10} {figures['p95_ms']:>8} {figures['bytes']:>11,}"
        )


def main():
    """On SQLite; and on PostgreSQL with Redis, in a database of its own, when
    DATABASE_URL is set (as bench/load.py)."""
    reference = reference_seconds()
    runs = {"SQLite": ("", "")}
    created = None
    if os.environ.get("DATABASE_URL"):
        created = f"recours_observatory_bench_{int(time.time())}"
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", f"CREATE DATABASE {created}"],
                       check=True)  # fmt: skip
        runs["PostgreSQL + Redis"] = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + created,
            os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        )
    report = {"reference_s": reference}
    try:
        for database, (database_url, redis_url) in runs.items():
            report[database] = run(database_url, redis_url)
            print_tables(database, report[database], reference)
    finally:
        if created:
            subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", f"DROP DATABASE {created}"],
                           check=False)  # fmt: skip
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"observatory-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(
        json.dumps(report, indent=2)
    )


if __name__ == "__main__":
    main()
