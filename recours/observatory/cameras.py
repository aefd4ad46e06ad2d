"""Import of the OpenStreetMap camera layer: every `man_made=surveillance` node of an
extract, each placed in its commune by a spatial join, replacing the previous import in
one transaction (a failed import leaves the previous layer intact).

Reads GeoJSON (as exported by Overpass or osmium), OSM XML (`.osm`) and PBF (`.osm.pbf`,
e.g. from `osmium tags-filter france-latest.osm.pbf n/man_made=surveillance -o cameras.osm.pbf`).
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import osmium
import shapely
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as ET
from django.db import transaction

from recours.observatory.geodata import ImportFailed, features_of
from recours.observatory.models import ImportRun, OsmCamera, Place
from recours.observatory.osm_tags import normalise

BATCH = 5_000
FIELDS = ["lon", "lat", "tags", "commune_id", "surveillance_type", "camera_type", "zone",
          "directions", "operator"]  # fmt: skip


@dataclass
class Node:
    osm_type: str
    osm_id: int
    lon: float
    lat: float
    tags: dict


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
    """A PBF extract through libosmium (pyosmium), keeping surveillance nodes only; a
    national extract streams through without being held in memory."""
    if not path.is_file():
        raise ImportFailed(f"{path}: cannot read (no such file)")
    wanted = osmium.filter.TagFilter(("man_made", "surveillance"))
    try:
        for node in osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(wanted):
            if not node.location.valid():
                report.problems.append(f"node {node.id}: no position")
                continue
            yield Node("node", node.id, node.location.lon, node.location.lat, dict(node.tags))
    except RuntimeError as exc:  # libosmium's errors: truncated or corrupt blocks
        raise ImportFailed(f"{path}: not a readable PBF file ({exc}); it may be truncated") from exc


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


def communes_of(points: list[tuple[float, float]]) -> list[int | None]:
    """The id of the commune each (lon, lat) falls in, by a spatial join on an STRtree of
    the communes' outlines; None outside them all."""
    communes = list(
        Place.objects.filter(kind=Place.Kind.COMMUNE, merged_into__isnull=True)
        .exclude(geometry=None)
        .values_list("pk", "geometry")
    )
    result: list[int | None] = [None] * len(points)
    if not communes or not points:
        return result
    shapes = shapely.from_geojson([json.dumps(geometry) for _, geometry in communes])
    tree = shapely.STRtree(shapes)
    located = shapely.points(points)
    point_index, shape_index = tree.query(located, predicate="intersects")
    for p, s in zip(point_index.tolist(), shape_index.tolist(), strict=True):
        if result[p] is None:  # on a shared border: the first commune found
            result[p] = communes[s][0]
    return result


def import_cameras(path: Path) -> CameraReport:
    """Replaces the camera layer with the extract at `path`. Raises ImportFailed, with
    nothing changed, when the file cannot be read or holds no surveillance node."""
    report = CameraReport()
    nodes: dict[tuple[str, int], Node] = {}
    for node in read_nodes(path, report):
        report.read += 1
        key = (node.osm_type, node.osm_id)
        if key in nodes:
            report.problems.append(f"{node.osm_type}/{node.osm_id}: duplicate, first kept")
            continue
        nodes[key] = node
    if not nodes:
        raise ImportFailed(f"{path}: no man_made=surveillance node found; nothing imported")
    ordered = list(nodes.values())
    communes = communes_of([(node.lon, node.lat) for node in ordered])
    report.outside = communes.count(None)
    with transaction.atomic():
        existing = {
            (row.osm_type, row.osm_id): row for row in OsmCamera.objects.all().iterator(BATCH)
        }
        new, changed = [], []
        for node, commune_id in zip(ordered, communes, strict=True):
            values = {"lon": node.lon, "lat": node.lat, "tags": node.tags,
                      "commune_id": commune_id, **normalise(node.tags)}  # fmt: skip
            row = existing.pop((node.osm_type, node.osm_id), None)
            if row is None:
                new.append(OsmCamera(osm_type=node.osm_type, osm_id=node.osm_id, **values))
            elif any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
            else:
                report.unchanged += 1
        OsmCamera.objects.bulk_create(new, batch_size=BATCH)
        OsmCamera.objects.bulk_update(changed, FIELDS, batch_size=BATCH)
        gone = [row.pk for row in existing.values()]
        for start in range(0, len(gone), BATCH):
            OsmCamera.objects.filter(pk__in=gone[start : start + BATCH]).delete()
        report.added, report.updated, report.removed = len(new), len(changed), len(gone)
        ImportRun.objects.create(
            kind="osm-cameras",
            source_name=path.name,
            source_sha256=sha256_of(path),
            added=report.added,
            updated=report.updated,
            removed=report.removed,
            unchanged=report.unchanged,
            report="\n".join([report.summary(), *report.problems[:1000]]),
        )
    return report


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
