"""Server time of the observatory's pages and map data, in process (no network), against
the database the environment names. Run by bench/observatory.py after its imports;
prints one JSON object: {name: {"median_ms", "p95_ms", "bytes"}}."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recours.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from recours.observatory.models import Place  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_PAGE_ROUNDS", "30"))


def measure(client: Client, url: str, **headers) -> dict:
    times, size = [], 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url, **headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(body)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "bytes": size,
    }


OUTLINES = "/observatoire/carte/communes.geojson"
MEASURES = "/observatoire/carte/mesures.json"


def once(action) -> dict:
    started = time.perf_counter()
    size = action()
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    return {"median_ms": elapsed, "p95_ms": elapsed, "bytes": size}


def empty_cache(client: Client, url: str) -> dict:
    """One answer with nothing in the cache (the cache server restarted): the worst case.
    Imports and edits build these answers when they commit, so visitors do not wait."""
    from django.core.cache import cache

    cache.clear()
    return once(lambda: len(client.get(url, HTTP_ACCEPT_ENCODING="gzip").content))


def an_edit(place: Place) -> dict:
    """A moderator's edit and its commit, which builds the next map (what the moderator
    waits for, not the visitors)."""
    from django.db import transaction

    from recours.observatory.domain import create_claim
    from recours.observatory.models import Claim

    def edit():
        with transaction.atomic():
            create_claim(claim=Claim(place=place, technology="vsa", status="trial",
                                     confidence="press", summary="bench"),
                         by="bench", origin="admin")  # fmt: skip
        return 0

    return once(edit)


def main():
    client = Client(HTTP_HOST="127.0.0.1")
    busiest = Place.objects.filter(kind="commune").order_by("-camera_count").first()
    department = busiest.parent or busiest
    lon, lat = (busiest.min_lon + busiest.max_lon) / 2, (busiest.min_lat + busiest.max_lat) / 2
    near = f"{lon - 0.4:.3f},{lat - 0.25:.3f},{lon + 0.4:.3f},{lat + 0.25:.3f}"
    street = f"{lon - 0.01:.3f},{lat - 0.006:.3f},{lon + 0.01:.3f},{lat + 0.006:.3f}"
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip"}
    results = {
        f"place page ({busiest.camera_count:,} cameras)": measure(
            client, busiest.get_absolute_url()
        ),
        "département page": measure(client, department.get_absolute_url()),
        **(
            {"intercommunalité page": measure(client, busiest.epci.get_absolute_url())}
            if busiest.epci_id
            else {}
        ),
        "index with table": measure(client, "/observatoire/"),
        "map: France outlines, gzip": measure(client, OUTLINES, **gzip),
        "an edit, committed (builds the map)": an_edit(busiest),
        "map: France measures, first after it": once(
            lambda: len(client.get(MEASURES, **gzip).content)
        ),
        "map: France measures, gzip": measure(client, MEASURES, **gzip),
        "map: France measures, empty cache": empty_cache(client, MEASURES),
        "map: France outlines, empty cache": empty_cache(client, OUTLINES),
        "map: France outlines, plain": measure(client, OUTLINES),
        "map: 0.8° view, detailed": measure(client, f"{OUTLINES}?bbox={near}"),
        "map: street view cameras": measure(
            client, f"/observatoire/carte/cameras.geojson?bbox={street}"
        ),
        "search 'saint'": measure(client, "/observatoire/recherche/?q=saint"),
        "communes table, page 2": measure(client, "/observatoire/communes/?page=2"),
        "claims CSV, national": measure(client, "/observatoire/donnees/claims.csv"),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
