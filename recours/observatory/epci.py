"""Import of intercommunalités (EPCI: métropoles, communautés urbaines, d'agglomération
and de communes), from either of their open publications:

- INSEE's table "Intercommunalité - Métropole au 1er janvier" (or the DGCL's list), sheet
  "Composition communale" saved as CSV: one row per commune, with columns CODGEO (the
  commune's INSEE code), EPCI (the intercommunalité's SIREN) and LIBEPCI (its name);
  https://www.insee.fr/fr/information/2510634;
- `epci.json` of Etalab's decoupage-administratif (npm @etalab/decoupage-administratif,
  the DGCL's list): [{"code": SIREN, "nom": ..., "membres": [{"code": INSEE}, ...]}].

Both under the Licence Ouverte / Etalab 2.0.

Each intercommunalité becomes a place keyed by its SIREN, its outline the union of its
communes', its population their sum, its parent the département most of them are in.
Import places first. A commune named under a code merged since counts through its
commune nouvelle; a code we do not know is reported. All or nothing.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import shapely
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from recours.observatory.cameras import count_cameras
from recours.observatory.geodata import ImportFailed, read_json, record_import
from recours.observatory.models import Place
from recours.observatory.places import coarse_outlines
from recours.observatory.tables import read_rows

COLUMNS = {"CODGEO", "EPCI", "LIBEPCI"}
SIREN = re.compile(r"\d{9}")
# INSEE's code for the few communes in no intercommunalité (islands such as Sein).
NONE = "ZZZZZZZZZ"
ATTRIBUTION = {
    "csv": "INSEE, Intercommunalité - Métropole (Licence Ouverte)",
    "json": "DGCL, EPCI à fiscalité propre, via Etalab decoupage-administratif (Licence Ouverte)",
}


@dataclass
class EpciReport:
    added: int = 0
    updated: int = 0
    communes: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} intercommunalités added, {self.updated} updated; "
            f"{self.communes} communes placed in one; {len(self.problems)} rows skipped"
        )


def import_epci(path: Path) -> EpciReport:
    report = EpciReport()
    members, names = _members(path, report)
    if not members:
        raise ImportFailed(f"{path}: no row names a known commune and an intercommunalité")
    # The outlines as the database's text, straight to GEOS (as cameras.CommuneIndex).
    communes = {
        pk: Commune(population, parent_id, outline)
        for pk, population, parent_id, outline in Place.objects.filter(
            pk__in={pk for pks in members.values() for pk in pks}
        )
        .annotate(outline=Cast("geometry", TextField()))
        .values_list("pk", "population", "parent_id", "outline")
    }
    existing = {place.code: place for place in Place.objects.filter(kind=Place.Kind.EPCI)}
    source = ATTRIBUTION["json" if _is_json(path) else "csv"]
    with transaction.atomic():
        for siren, pks in sorted(members.items()):
            place = existing.get(siren) or Place(kind=Place.Kind.EPCI, code=siren)
            if place.pk is None:
                report.added += 1
            else:
                report.updated += 1
            _describe(place, names[siren], [communes[pk] for pk in sorted(pks)], source)
            place.save()
            Place.objects.filter(pk__in=pks).update(epci=place)
            report.communes += len(pks)
        # A commune the new table no longer places in an intercommunalité leaves it.
        placed = {pk for pks in members.values() for pk in pks}
        Place.objects.filter(kind=Place.Kind.COMMUNE).exclude(pk__in=placed).exclude(
            epci=None
        ).update(epci=None)
        count_cameras()
        record_import("epci", path, report, added=report.added, updated=report.updated)
    return report


def _members(path: Path, report: EpciReport) -> tuple[dict[str, set[int]], dict[str, str]]:
    """{SIREN: ids of its current communes}, {SIREN: name}."""
    current = {}
    for pk, code, merged_into in Place.objects.filter(kind=Place.Kind.COMMUNE).values_list(
        "pk", "code", "merged_into"
    ):
        current[code] = merged_into or pk
    members, names = defaultdict(set), {}
    for where, code, siren, name in _rows(path):
        if siren == NONE:
            continue
        if not SIREN.fullmatch(siren) or not name:
            report.problems.append(f"{where}: {siren!r} is not an intercommunalité's SIREN")
        elif code not in current:
            report.problems.append(f"{where}: commune {code!r} unknown (import places first)")
        else:
            members[siren].add(current[code])
            names[siren] = name[:200]
    return members, names


def _rows(path: Path) -> Iterator[tuple[str, str, str, str]]:
    """(where in the file, commune code, SIREN, name) for each commune of each EPCI."""
    if _is_json(path):
        epcis = read_json(path)
        if not isinstance(epcis, list):
            raise ImportFailed(f"{path}: a list of intercommunalités expected")
        for number, epci in enumerate(epcis, start=1):
            try:
                siren, name = str(epci["code"]).strip(), str(epci["nom"]).strip()
                codes = [str(member["code"]).strip() for member in epci["membres"]]
            except (KeyError, TypeError):
                raise ImportFailed(f"{path}, item {number}: code, nom or membres missing") from None
            for code in codes:
                yield f"item {number}", code, siren, name
    else:
        for line, row in enumerate(read_rows(path, COLUMNS), start=2):  # line 1: the header
            yield (
                f"line {line}",
                *((row[name] or "").strip() for name in ["CODGEO", "EPCI", "LIBEPCI"]),
            )


def _is_json(path: Path) -> bool:
    return path.name.endswith((".json", ".json.gz"))


class Commune(NamedTuple):
    population: int | None
    parent_id: int | None
    outline: str | None


def _describe(place: Place, name: str, communes: list[Commune], source: str) -> None:
    place.name = name
    place.population = sum(c.population or 0 for c in communes) or None
    departements = Counter(c.parent_id for c in communes if c.parent_id)
    place.parent_id = departements.most_common(1)[0][0] if departements else None
    place.source = source
    outlines = [c.outline for c in communes if c.outline and c.outline != "null"]
    if outlines:
        outline = shapely.union_all(shapely.make_valid(shapely.from_geojson(outlines)))
        place.geometry = json.loads(shapely.to_geojson(outline))
        (place.outline_coarse,) = coarse_outlines([outline])
        place.min_lon, place.min_lat, place.max_lon, place.max_lat = outline.bounds
