"""Import of places: régions, départements and communes with their outlines (IGN Admin
Express via france-geojson) and INSEE attributes (population, postcodes, mergers).

A commune merged into a "commune nouvelle" since the outlines were drawn keeps its own
row, `merged_into` the new commune, whose outline becomes the union of its parts: a
record filed under the old code still shows under the new commune, and a camera inside
the old outline falls in the new commune.
"""

import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import connection, transaction

from recours.observatory.cameras import count_cameras
from recours.observatory.geodata import (
    ImportFailed,
    features_of,
    in_folder,
    read_text,
    record_import,
)
from recours.observatory.models import Place
from recours.observatory.names import normalised

ATTRIBUTION = "Contours : IGN Admin Express COG 2018 (Licence Ouverte), via gregoiredavid/france-geojson; INSEE (COG 2024), via rcarlier/datas.fun"


@dataclass
class PlaceReport:
    added: int = 0
    updated: int = 0
    merged: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} places added, {self.updated} updated, {self.merged} communes merged "
            f"into a commune nouvelle; {len(self.problems)} skipped"
        )


@dataclass
class Row:
    kind: str
    code: str
    name: str
    geometry: dict | None = None
    parent: tuple[str, str] | None = None
    population: int | None = None
    postcodes: str = ""
    merged_into: str | None = None


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read_text(path, spreadsheet=True))))


def _insee(folder: Path | None, report: PlaceReport):
    """Population, postcodes, area and mergers by commune code, each département's
    région, and each commune's full official name."""
    communes, merged_into, region_of, full_names = {}, {}, {}, {}
    if folder is None:
        return communes, merged_into, region_of, full_names
    for row in read_csv(in_folder(folder, "communes.csv")):
        code, kind = row.get("insee_com", ""), row.get("commune_type", "")
        # The full official name is `commune_article` ("Le Havre"); `commune` is the
        # name without its article ("Havre"), for sorting, as are the older outlines'.
        name = row.get("commune_article") or row.get("commune") or ""
        if name and kind in {"COM", "COMD"}:
            full_names[code] = name
        if kind == "COM":
            entry = communes.setdefault(
                code, {"population": None, "postcodes": set(), "area_km2": None}
            )
            try:
                entry["area_km2"] = float(row.get("superficie_km2") or "")
            except ValueError:
                pass
            if row.get("population_2021", "").isdigit():
                entry["population"] = int(row["population_2021"])
            if row.get("code_postal"):
                entry["postcodes"].add(row["code_postal"])
        elif kind == "COMD" and row.get("insee_parente"):
            merged_into[code] = row["insee_parente"]
        elif kind == "ARM" and row.get("insee_parente"):
            # Paris, Lyon and Marseille appear only through their arrondissements.
            entry = communes.setdefault(
                row["insee_parente"], {"population": 0, "postcodes": set(), "area_km2": 0.0}
            )
            if row.get("population_2021", "").isdigit():
                entry["population"] = (entry["population"] or 0) + int(row["population_2021"])
            try:
                entry["area_km2"] = (entry["area_km2"] or 0) + float(
                    row.get("superficie_km2") or ""
                )
            except ValueError:
                pass
            if row.get("code_postal"):
                entry["postcodes"].add(row["code_postal"])
    for row in read_csv(in_folder(folder, "departements.csv")):
        region_of[row.get("insee_dep", "")] = row.get("insee_reg", "")
    if not communes:
        raise ImportFailed(f"{folder / 'communes.csv'}: no commune rows (column insee_com)")
    return communes, merged_into, region_of, full_names


def _outlines(path: Path, kind: str, report: PlaceReport) -> list[Row]:
    rows = []
    for number, feature in enumerate(features_of(path), start=1):
        try:
            properties = feature["properties"]
            code, name = str(properties["code"]), str(properties["nom"])
            geometry = feature["geometry"]
            if geometry["type"] not in {"Polygon", "MultiPolygon"}:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            report.problems.append(f"{path.name}, feature {number}: no code, name or polygon")
            continue
        rows.append(Row(kind, code, name, geometry, parent=_parent(kind, properties)))
    if not rows:
        raise ImportFailed(f"{path}: no {kind} with a code, a name and a polygon")
    return rows


def _parent(kind: str, properties: dict) -> tuple[str, str] | None:
    if kind == Place.Kind.COMMUNE and properties.get("dep"):
        return (Place.Kind.DEPARTEMENT, str(properties["dep"]))
    return None


def import_places(
    *,
    communes: Path,
    departements: Path | None = None,
    regions: Path | None = None,
    insee: Path | None = None,
) -> PlaceReport:
    report = PlaceReport()
    attributes, merged_into, region_of, full_names = _insee(insee, report)
    rows: list[Row] = []
    if regions:
        rows += _outlines(regions, Place.Kind.REGION, report)
    if departements:
        for row in _outlines(departements, Place.Kind.DEPARTEMENT, report):
            if region_of.get(row.code):
                row.parent = (Place.Kind.REGION, region_of[row.code])
            rows.append(row)
    commune_rows = _outlines(communes, Place.Kind.COMMUNE, report)
    by_code = {row.code: row for row in commune_rows}
    for row in commune_rows:
        row.name = full_names.get(row.code, row.name)
        info = attributes.get(row.code)
        if info:
            row.population = info["population"]
            row.postcodes = " ".join(sorted(info["postcodes"]))[:200]
        elif row.code in merged_into and merged_into[row.code] != row.code:
            row.merged_into = merged_into[row.code]
    if attributes:
        _infer_mergers(commune_rows, attributes, report)
    _union_merged_outlines(commune_rows, by_code, report)
    rows += commune_rows
    _population_totals(rows)
    with transaction.atomic():
        _save(rows, report)
        count_cameras()  # a département's or a région's, as its communes may have moved
        record_import("places", communes, report, added=report.added, updated=report.updated)
    return report


def _population_totals(rows: list[Row]) -> None:
    """A département's population is its communes', a région's its départements' (INSEE's
    lists give communes only)."""
    for part, whole in [
        (Place.Kind.COMMUNE, Place.Kind.DEPARTEMENT),
        (Place.Kind.DEPARTEMENT, Place.Kind.REGION),
    ]:
        totals = Counter()
        for row in rows:
            if row.kind == part and not row.merged_into and row.parent:
                totals[row.parent] += row.population or 0
        for row in rows:
            if row.kind == whole and row.population is None:
                row.population = totals.get((row.kind, row.code)) or None


GROWN = 1.2  # a commune whose current area exceeds its outline's by this has absorbed others
FIT = 1.5  # how much larger than a commune's unexplained growth a part given to it may be


def _infer_mergers(rows: list[Row], attributes: dict, report: PlaceReport) -> None:
    """Outlines older than the INSEE list leave communes that no longer exist and that
    the list does not name as communes déléguées. Each is given to the neighbouring
    commune that has grown since (its current area is larger than its old outline):
    the only such neighbour, or, among several, the one whose growth it best fills.
    Repeated, so that a chain of merged parts reaches its commune. What stays
    unresolved is reported, never dropped: it keeps its own row."""
    orphans = [
        i for i, row in enumerate(rows) if row.code not in attributes and not row.merged_into
    ]
    if not orphans:
        return
    shapes = shapely.from_geojson([json.dumps(row.geometry) for row in rows])
    areas = [_km2(shape) for shape in shapes]
    missing = {}  # grown commune index → area still to account for
    for i, row in enumerate(rows):
        current = (attributes.get(row.code) or {}).get("area_km2")
        if current and current > GROWN * areas[i]:
            missing[i] = current - areas[i]
    owner = {i: i for i in missing}  # parts already given to a grown commune
    tree = shapely.STRtree(shapes)
    remaining = orphans
    while remaining:
        still = []
        for i in remaining:
            near = tree.query(shapely.buffer(shapes[i], 0.002), predicate="intersects")
            # A part must fit in what its commune gained (with room for the outlines'
            # simplification): a big orphan is not swallowed by a neighbour that grew a bit.
            targets = {
                owner[j]
                for j in near.tolist()
                if j in owner and j != i and areas[i] <= FIT * missing[owner[j]]
            }
            if not targets:
                still.append(i)
                continue
            target = min(targets, key=lambda t: abs(missing[t] - areas[i]))
            missing[target] -= areas[i]
            owner[i] = target
            rows[i].merged_into = rows[target].code
        if len(still) == len(remaining):
            break
        remaining = still
    for i in remaining:
        report.problems.append(
            f"commune {rows[i].code} ({rows[i].name}): not in the INSEE list and no merger "
            "found; kept under its old code"
        )


def _km2(shape) -> float:
    """Area of a lon/lat shape in km², close enough at the scale of a commune."""
    latitude = shapely.get_y(shapely.centroid(shape))
    return shapely.area(shape) * 111.32**2 * math.cos(math.radians(latitude))


def _union_merged_outlines(rows: list[Row], by_code: dict[str, Row], report: PlaceReport):
    parts: dict[str, list[dict]] = {}
    for row in rows:
        if row.merged_into:
            if row.merged_into not in by_code:
                report.problems.append(
                    f"commune {row.code}: merged into {row.merged_into}, which has no outline"
                )
                row.merged_into = None
                continue
            parts.setdefault(row.merged_into, []).append(row.geometry)
            report.merged += 1
    for code, geometries in parts.items():
        target = by_code[code]
        shapes = shapely.from_geojson([json.dumps(g) for g in [target.geometry, *geometries]])
        # Simplified outlines can cross themselves; made valid, they union cleanly.
        target.geometry = json.loads(
            shapely.to_geojson(shapely.union_all(shapely.make_valid(shapes)))
        )


FIELDS = ["name", "search_name", "geometry", "outline_coarse", "population", "postcodes", "source",
          "min_lon", "min_lat", "max_lon", "max_lat"]  # fmt: skip
# The national map's outlines: 600 m of simplification on a 100 m grid keeps every
# commune visible at the scale of France, in about 1 MB once compressed.
COARSE_TOLERANCE = 0.006
COARSE_GRID = 0.001


def coarse_outlines(shapes) -> list[str]:
    simplified = shapely.simplify(shapes, COARSE_TOLERANCE, preserve_topology=True)
    return shapely.to_geojson(
        shapely.set_precision(simplified, COARSE_GRID, mode="pointwise")
    ).tolist()


def _save(rows: list[Row], report: PlaceReport) -> None:
    """Inserts new places and updates only those that changed (a bulk update of every
    row costs minutes on 35,000 outlines)."""
    existing = {(place.kind, place.code): place for place in Place.objects.all()}
    new, changed = [], []
    # Every row has an outline (_outlines skips those without): one parse for them all.
    shapes = shapely.from_geojson([json.dumps(r.geometry) for r in rows])
    coarse = coarse_outlines(shapes)
    for row, outline, bounds in zip(rows, coarse, shapely.bounds(shapes).tolist(), strict=True):
        values = dict(zip(FIELDS, [row.name, normalised(row.name), row.geometry, outline, row.population,
                                   row.postcodes, ATTRIBUTION, *bounds], strict=True))  # fmt: skip
        place = existing.get((row.kind, row.code))
        if place is None:
            place = Place(kind=row.kind, code=row.code, **values)
            existing[(row.kind, row.code)] = place
            new.append(place)
        elif any(getattr(place, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(place, name, value)
            changed.append(place)
    Place.objects.bulk_create(new, batch_size=2000)
    Place.objects.bulk_update(changed, FIELDS, batch_size=500)
    report.added, report.updated = len(new), len(changed)
    # Links, once every row has its id.
    linked = []
    for row in rows:
        place = existing[(row.kind, row.code)]
        parent = existing.get(row.parent) if row.parent else None
        merged = existing.get((Place.Kind.COMMUNE, row.merged_into)) if row.merged_into else None
        if (place.parent_id, place.merged_into_id) != (
            parent.pk if parent else None,
            merged.pk if merged else None,
        ):
            place.parent, place.merged_into = parent, merged
            linked.append(place)
    # One executemany: bulk_update's CASE WHEN statements took 20 s on 35,000 links.
    table = connection.ops.quote_name(Place._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET parent_id = %s, merged_into_id = %s WHERE id = %s",  # noqa: S608
            [(place.parent_id, place.merged_into_id, place.pk) for place in linked],
        )
