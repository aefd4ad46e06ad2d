"""Import of the OpenStreetMap camera layer: every `man_made=surveillance` node of an
extract, each placed in its commune by a spatial join, replacing the previous import in
one transaction (a failed import leaves the previous layer intact).

Reads GeoJSON (as exported by Overpass or osmium), OSM XML (`.osm`) and PBF (`.osm.pbf`,
e.g. from `osmium tags-filter france-latest.osm.pbf n/man_made=surveillance -o cameras.osm.pbf`).
"""

import hashlib
import json
import multiprocessing
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty
from typing import NamedTuple

import osmium
import shapely
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as ET
from django.db import connection, transaction
from django.db.models import Count, TextField
from django.db.models.functions import Cast

from recours.observatory.geodata import ImportFailed, features_of, record_import
from recours.observatory.models import OsmCamera, Place
from recours.observatory.osm_tags import normalise

BATCH = 5_000


class Node(NamedTuple):
    osm_type: str
    osm_id: int
    lon: float
    lat: float
    tags: dict


class Located(NamedTuple):
    """A node placed in its commune by the reading process, for the writing process. It
    crosses between them as a plain tuple: a named tuple unpickles with a Python call per
    row (2.3 s more per million rows), and `Located._make` names it again in C."""

    osm_type: str
    osm_id: int
    lon: float
    lat: float
    tags_json: str
    commune_id: int | None


class CameraRow(NamedTuple):
    """A camera as written: its fields are the table's columns, in order (COPY and the
    INSERT take them as they are), JSON fields as text."""

    osm_type: str
    osm_id: int
    lon: float
    lat: float
    tags: str
    commune_id: int | None
    surveillance_type: str
    camera_type: str
    zone: str
    directions: str
    operator: str
    fingerprint: str

    def as_model(self, pk: int) -> OsmCamera:
        fields = self._asdict() | {
            "tags": json.loads(self.tags),
            "directions": json.loads(self.directions),
        }
        return OsmCamera(pk=pk, **fields)


INSERT_COLUMNS = CameraRow._fields
# What a re-import may change of a known camera (its key stays).
UPDATED_FIELDS = [name for name in CameraRow._fields if name not in {"osm_type", "osm_id"}]


@dataclass
class CameraReport:
    read: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    outside: int = 0  # in no commune we know (abroad, at sea, or communes not imported)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.read} surveillance nodes read: {self.added} added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged; {self.outside} outside every "
            f"commune; {len(self.problems)} skipped"
        )


def read_nodes(path: Path, report: CameraReport) -> Iterator[Node]:
    name = path.name.lower()
    if name.endswith(".pbf"):
        yield from _read_pbf(path, report)
    elif name.endswith(".osm") or name.endswith(".xml"):
        yield from _read_osm_xml(path, report)
    else:
        yield from _read_geojson(path, report)


def _read_geojson(path: Path, report: CameraReport) -> Iterator[Node]:
    for number, feature in enumerate(features_of(path), start=1):
        try:
            properties = dict(feature["properties"])
            lon, lat = (float(c) for c in feature["geometry"]["coordinates"][:2])
            osm_type = str(properties.pop("osm_type", "node"))
            osm_id = int(properties.pop("osm_id"))
        except (KeyError, TypeError, ValueError):
            report.problems.append(f"feature {number}: no point or no osm_id")
            continue
        if properties.get("man_made") != "surveillance":
            continue
        tags = {str(k): str(v) for k, v in properties.items()}
        yield Node(osm_type, osm_id, lon, lat, tags)


def _read_pbf(path: Path, report: CameraReport) -> Iterator[Node]:
    """A PBF extract, keeping surveillance nodes only, streamed (a national extract is
    never held in memory): through osmium-tool's GeoJSON export when it is installed,
    four times faster at national scale, else through pyosmium."""
    if not path.is_file():
        raise ImportFailed(f"{path}: cannot read (no such file)")
    if shutil.which(OSMIUM_TOOL):
        yield from _read_pbf_with_osmium_tool(path, report)
        return
    wanted = osmium.filter.TagFilter(("man_made", "surveillance"))
    try:
        for node in osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(wanted):
            if not node.location.valid():
                report.problems.append(f"node {node.id}: no position")
                continue
            yield Node("node", node.id, node.location.lon, node.location.lat, dict(node.tags))
    except RuntimeError as exc:  # libosmium's errors: truncated or corrupt blocks
        raise ImportFailed(f"{path}: not a readable PBF file ({exc}); it may be truncated") from exc


OSMIUM_TOOL = "osmium"


def _read_pbf_with_osmium_tool(path: Path, report: CameraReport) -> Iterator[Node]:
    command = [
        OSMIUM_TOOL, "export", "--no-progress", "--output-format", "geojsonseq",
        "--geometry-types", "point", "--index-type", "none", "--attributes", "type,id",
        "--format-option", "print_record_separator=false", "--output", "-",
        str(path.resolve()),  # absolute: a file name cannot pass for an option
    ]  # fmt: skip
    # An argument list, no shell; the tool is found on PATH like any system command.
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as export:  # noqa: S603
        broken = False
        try:
            for line in export.stdout:
                if not line.strip():
                    continue
                try:
                    feature = json.loads(line)
                except json.JSONDecodeError:
                    broken = True  # a record cut short: the tool stopped on a bad block
                    break
                tags = feature["properties"]
                if tags.get("man_made") != "surveillance":
                    continue
                osm_id = tags.pop("@id")
                tags.pop("@type", None)
                lon, lat = feature["geometry"]["coordinates"]
                yield Node("node", osm_id, lon, lat, tags)
        finally:
            export.stdout.close()
            error = export.stderr.read().decode(errors="replace").strip()
            code = export.wait()
    if code != 0 or broken:
        raise ImportFailed(
            f"{path}: not a readable PBF file ({error.splitlines()[-1] if error else code}); "
            "it may be truncated"
        )


def _read_osm_xml(path: Path, report: CameraReport) -> Iterator[Node]:
    try:
        for _, element in ET.iterparse(path, events=("end",)):
            if element.tag != "node":
                continue
            tags = {tag.get("k"): tag.get("v") for tag in element.iter("tag")}
            if tags.get("man_made") == "surveillance":
                try:
                    yield Node(
                        "node",
                        int(element.get("id")),
                        float(element.get("lon")),
                        float(element.get("lat")),
                        tags,
                    )
                except (TypeError, ValueError):
                    report.problems.append(f"node {element.get('id')}: no position")
            element.clear()
    except ET.ParseError as exc:
        raise ImportFailed(f"{path}: not valid OSM XML ({exc}); the file may be truncated") from exc
    except DefusedXmlException as exc:
        raise ImportFailed(f"{path}: refused, the XML declares entities ({exc})") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read ({exc.strerror})") from exc


class CommuneIndex:
    """The communes' outlines in an STRtree, built once per import."""

    def __init__(self):
        # The outlines as the database's text, straight to GEOS: parsing 35,000 of them
        # into Python and writing them out again took seconds.
        communes = list(
            Place.objects.filter(kind=Place.Kind.COMMUNE, merged_into__isnull=True)
            .exclude(geometry=None)
            .annotate(text=Cast("geometry", TextField()))
            .values_list("pk", "text")
        )
        self.ids = [pk for pk, _ in communes]
        shapes = shapely.from_geojson([text for _, text in communes])
        self.tree = shapely.STRtree(shapes) if communes else None

    def locate(self, points: list[tuple[float, float]]) -> list[int | None]:
        """The id of the commune each (lon, lat) falls in; None outside them all."""
        result: list[int | None] = [None] * len(points)
        if self.tree is None or not points:
            return result
        point_index, shape_index = self.tree.query(shapely.points(points), predicate="intersects")
        for p, s in zip(point_index.tolist(), shape_index.tolist(), strict=True):
            if result[p] is None:  # on a shared border: the first commune found
                result[p] = self.ids[s]
        return result


def _fingerprint(lon: float, lat: float, commune_id: int | None, tags_json: str) -> str:
    payload = f"{lon!r} {lat!r} {commune_id} {tags_json}"
    return hashlib.sha256(payload.encode()).hexdigest()


def _insert(rows: list[CameraRow]) -> None:
    """New cameras in one statement per batch: COPY on PostgreSQL (an executemany of a
    million rows took most of a first import there), one executemany on SQLite. The ORM's
    bulk_create spent most of an import's time building and compiling model instances."""
    if not rows:
        return
    table = connection.ops.quote_name(OsmCamera._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(OsmCamera._meta.get_field(name).column) for name in INSERT_COLUMNS
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # psycopg 3
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


@contextmanager
def _indexes_built_after():
    """Builds the layer's secondary indexes once the rows are in, rather than row by row:
    sorting a million keys once is faster than a million B-tree insertions, on SQLite as
    on PostgreSQL. Within the import's transaction, so a failure restores them too."""
    quote = connection.ops.quote_name
    table = quote(OsmCamera._meta.db_table)
    indexes = [
        (
            quote(index.name),
            ", ".join(quote(OsmCamera._meta.get_field(f).column) for f in index.fields),
        )
        for index in OsmCamera._meta.indexes
    ]
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        yield
        if connection.vendor == "postgresql":
            # The rows' deferred foreign-key checks must run before an index is built.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, columns in indexes:
            cursor.execute(f"CREATE INDEX {name} ON {table} ({columns})")


def count_cameras() -> None:
    """Stores each place's camera count: a commune's from the layer, a département's,
    a région's and an intercommunalité's as the sum of their communes'. Writes only the
    counts that changed, in one executemany (bulk_update's CASE WHEN took 30 s on
    35,000 communes)."""
    by_commune = dict(
        OsmCamera.objects.exclude(commune=None)
        .values_list("commune")
        .annotate(n=Count("pk"))
        .order_by()
    )
    places = list(Place.objects.values_list("pk", "kind", "parent_id", "epci_id", "camera_count"))
    counts = Counter()
    for pk, kind, parent_id, epci_id, _ in places:
        if kind == Place.Kind.COMMUNE and pk in by_commune:
            counts[pk] = by_commune[pk]
            counts[parent_id] += by_commune[pk]  # its département
            counts[epci_id] += by_commune[pk]
    for pk, kind, parent_id, _, _ in places:
        if kind == Place.Kind.DEPARTEMENT:
            counts[parent_id] += counts[pk]  # its région
    changed = [(counts[pk], pk) for pk, *_, stored in places if stored != counts[pk]]
    table = connection.ops.quote_name(Place._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET camera_count = %s WHERE id = %s", changed)  # noqa: S608


def _batches(nodes: Iterator[Node], size: int) -> Iterator[list[Node]]:
    batch = []
    for node in nodes:
        batch.append(node)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _prepare(batch: list[Node], index: CommuneIndex) -> list[Located]:
    """Each node placed in its commune: the work that does not need the database. What
    only new or changed rows need is done by the writing process."""
    communes = index.locate([(node.lon, node.lat) for node in batch])
    return [
        Located(node.osm_type, node.osm_id, node.lon, node.lat,
                json.dumps(node.tags, sort_keys=True, ensure_ascii=False), commune_id)
        for node, commune_id in zip(batch, communes, strict=True)
    ]  # fmt: skip


def _row(located: Located, fingerprint: str) -> CameraRow:
    """The row of a new or changed camera."""
    fields = normalise(json.loads(located.tags_json))
    return CameraRow(
        osm_type=located.osm_type,
        osm_id=located.osm_id,
        lon=located.lon,
        lat=located.lat,
        tags=located.tags_json,
        commune_id=located.commune_id,
        surveillance_type=fields["surveillance_type"],
        camera_type=fields["camera_type"],
        zone=fields["zone"],
        directions=json.dumps(fields["directions"]),
        operator=fields["operator"],
        fingerprint=fingerprint,
    )


def _read_and_prepare(path: Path, index: CommuneIndex, out) -> None:
    """The worker: reads the file, places each node in its commune and prepares its row,
    while the parent writes the batches before. Never touches the database."""
    report = CameraReport()
    try:
        for batch in _batches(read_nodes(path, report), BATCH):
            out.put(("batch", [tuple(located) for located in _prepare(batch, index)]))
        out.put(("done", report.problems))
    except ImportFailed as exc:
        out.put(("failed", str(exc)))
    except Exception as exc:  # noqa: BLE001 - said to the parent, which rolls back
        out.put(("failed", f"{path}: cannot be read ({type(exc).__name__}: {exc})"))


def _prepared_batches(path: Path, index: CommuneIndex, report: CameraReport):
    """Batches from a worker process: reading a national extract and joining it to the
    communes takes as long as writing it, and the machine has more than one core. A
    forked worker shares the commune index without copying it; the queue holds a few
    batches at most, so memory stays bounded."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=4)
    worker = context.Process(target=_read_and_prepare, args=(path, index, queue), daemon=True)
    worker.start()
    try:
        while True:
            try:
                kind, payload = queue.get(timeout=1)
            except Empty:
                if not worker.is_alive():
                    raise ImportFailed(f"{path}: the reading process stopped (exit code "
                                       f"{worker.exitcode})") from None  # fmt: skip
                continue
            if kind == "batch":
                yield list(map(Located._make, payload))
            elif kind == "failed":
                raise ImportFailed(payload)
            else:
                report.problems.extend(payload)
                return
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()


def _write_batches(path, index, report, existing, seen) -> None:
    """Writes what the worker prepared: new rows inserted, changed ones updated, the
    unchanged only counted."""
    for batch in _prepared_batches(path, index, report):
        report.read += len(batch)
        new, changed = [], []
        for located in batch:
            key = (located.osm_type, located.osm_id)
            if key in seen:
                report.problems.append(f"{located.osm_type}/{located.osm_id}: duplicate, "
                                       "first kept")  # fmt: skip
                continue
            seen.add(key)
            if located.commune_id is None:
                report.outside += 1
            fingerprint = _fingerprint(
                located.lon, located.lat, located.commune_id, located.tags_json
            )
            pk, known = existing.get(key, (None, None))
            if known == fingerprint:
                report.unchanged += 1
                continue
            row = _row(located, fingerprint)
            if pk is None:
                new.append(row)
            else:
                changed.append(row.as_model(pk))
        _insert(new)
        OsmCamera.objects.bulk_update(changed, UPDATED_FIELDS)
        report.added += len(new)
        report.updated += len(changed)


def import_cameras(path: Path, *, data_date=None, licence: str = "") -> CameraReport:
    """Replaces the camera layer with the extract at `path`, streaming it in batches (a
    national extract does not sit in memory). One transaction: if the file turns out
    corrupt halfway, ImportFailed is raised and the previous layer is intact.
    `data_date` is the day the extract describes, when it is an old one; `licence` its
    licence and attribution, when it is not today's ODbL."""
    report = CameraReport()
    index = CommuneIndex()
    with transaction.atomic():
        existing = {
            (osm_type, osm_id): (pk, fingerprint)
            for pk, osm_type, osm_id, fingerprint in OsmCamera.objects.values_list(
                "pk", "osm_type", "osm_id", "fingerprint"
            ).iterator(BATCH)
        }
        seen: set[tuple[str, int]] = set()
        first_import = _indexes_built_after() if not existing else nullcontext()
        with first_import:
            _write_batches(path, index, report, existing, seen)
        if not seen:
            raise ImportFailed(f"{path}: no man_made=surveillance node found; nothing imported")
        gone = [pk for key, (pk, _) in existing.items() if key not in seen]
        for start in range(0, len(gone), BATCH):
            OsmCamera.objects.filter(pk__in=gone[start : start + BATCH]).delete()
        report.removed = len(gone)
        count_cameras()
        record_import(
            "osm-cameras",
            path,
            report,
            added=report.added,
            updated=report.updated,
            removed=report.removed,
            unchanged=report.unchanged,
            details={"data_date": data_date, "licence": licence},
        )
    return report
