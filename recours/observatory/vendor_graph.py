"""Leads from a vendor–city relation graph (technopolice-vendor-graph, AGPL-3.0): each
"vendor a pour client / est utilisé par ville de X" row becomes a claim at that commune
(or at the intercommunalité a "Communauté de communes X" or "Métropole X" row names),
with its source as evidence, at the confidence of a lead ("rumour") until someone
checks it. City names are free text: they are matched to INSEE communes by normalised
name, then by a close spelling; a name shared by several communes is not guessed.
Every row that is not imported is reported with its reason."""

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from recours.observatory.geodata import ImportFailed, read_text, record_import
from recours.observatory.models import Claim, Evidence, Place, Vendor
from recours.observatory.names import normalised

USES = {"a pour client", "est utilisé par"}
PUBLIC_BODY = re.compile(
    r"^(?:ville|commune|mairie)\s+(?:de\s+la\s+|de\s+l'|de\s+|du\s+|des\s+|d')(.+)$", re.IGNORECASE
)
# "Communauté de communes X", "Métropole de X": an intercommunalité.
GROUPING = re.compile(
    r"^(?:communaut[ée]s?\s+(?:de\s+communes?|d'agglom[ée]ration|urbaine)|m[ée]tropole|"
    r"agglom[ée]ration)\s+(?:de\s+la\s+|de\s+l'|de\s+|du\s+|des\s+|d')?(.+)$",
    re.IGNORECASE,
)
# The words that say what kind of intercommunalité a name is, which people drop or
# change ("Communauté de communes de Nantes" for "Nantes Métropole").
GROUPING_WORDS = re.compile(
    r"\b(?:cc|ca|cu|communaute (?:de communes?|d agglomeration|urbaine)|metropole|"
    r"agglomeration|agglo)\b"
)
# What a vendor's "fonctionnalité" rows say it sells, in our vocabulary.
CAPABILITIES = {
    "vsa": Claim.Technology.VSA,
    "analyse vidéo": Claim.Technology.VSA,
    "reconnaissance faciale": Claim.Technology.FACIAL_RECOGNITION,
    "vidéo verbalisation": Claim.Technology.CCTV,
    "vms - hyperviseur": Claim.Technology.CCTV,
}
ATTRIBUTION = "arnaudmolo/carto_technopolice (AGPL-3.0)"
# What a page says of such a claim, in a sentence (the raw relation, "VIZZIA a pour client
# ville de Paris", stays in the source file).
SUMMARY = (
    "Selon la cartographie Technopolice, {place} figure parmi les clients de {vendor}. "
    "À confirmer : un fournisseur qui se dit retenu ne prouve pas un déploiement."
)


def sources_of(cell: str) -> list[str]:
    return [url.strip()[:1000] for url in cell.split("|") if url.strip()]


@dataclass
class GraphReport:
    imported: int = 0
    unmatched: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.imported} claims imported; {len(self.unmatched)} rows not imported"

    @property
    def problems(self) -> list[str]:
        return self.unmatched


class CommuneNames:
    def __init__(self):
        self.by_name: dict[str, list[Place]] = {}
        for place in Place.objects.filter(kind=Place.Kind.COMMUNE, merged_into=None):
            self.by_name.setdefault(normalised(place.name), []).append(place)

    def match(self, name: str) -> tuple[Place | None, str]:
        key = normalised(name)
        found = self.by_name.get(key)
        if not found:
            close = difflib.get_close_matches(key, self.by_name, n=1, cutoff=0.85)
            if not close:
                return None, "no commune of that name"
            found = self.by_name[close[0]]
        if len(found) > 1:
            codes = ", ".join(sorted(place.code for place in found))
            return None, f"several communes have that name ({codes}): not guessed"
        return found[0], ""


class GroupingNames:
    """Intercommunalités by their name without the words that say their kind."""

    def __init__(self):
        self.by_core: dict[str, list[Place]] = {}
        for place in Place.objects.filter(kind=Place.Kind.EPCI).only("pk", "name", "code"):
            self.by_core.setdefault(_core(place.name), []).append(place)

    def match(self, name: str) -> tuple[Place | None, str]:
        found = self.by_core.get(_core(name), [])
        if len(found) == 1:
            return found[0], ""
        if found:
            codes = ", ".join(sorted(place.code for place in found))
            return None, f"several intercommunalités have that name ({codes}): not guessed"
        return None, "no intercommunalité of that name"


def _core(name: str) -> str:
    return " ".join(GROUPING_WORDS.sub(" ", normalised(name)).split())


def _place_of(target: str, communes: CommuneNames, groupings: GroupingNames):
    """The commune or intercommunalité a relation names, or why none."""
    if body := PUBLIC_BODY.match(target):
        name = body.group(1)
        if GROUPING_WORDS.search(normalised(name)):  # "ville de Chartres Métropole"
            return groupings.match(name)
        return communes.match(name)
    if body := GROUPING.match(target):
        return groupings.match(body.group(1))
    return None, "is not a commune or an intercommunalité"


def rows_of(path: Path) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(read_text(path)), delimiter=";") if row]


def import_vendor_graph(path: Path) -> GraphReport:
    rows = rows_of(path)
    edges = [row for row in rows if row[0] == "EDGE" and len(row) >= 5]
    if not edges:
        raise ImportFailed(f"{path}: no EDGE;actor;actor;relation;source rows")
    capabilities: dict[str, set[str]] = {}
    for _, vendor, target, relation, _source, *_ in edges:
        if relation.strip() == "fonctionnalité":
            base = target.split(" - ")[0].strip().lower()
            technology = CAPABILITIES.get(target.strip().lower()) or CAPABILITIES.get(base)
            if technology:
                capabilities.setdefault(vendor.strip(), set()).add(technology)
    names, groupings = CommuneNames(), GroupingNames()
    report = GraphReport()
    with transaction.atomic():
        for number, (_, vendor, target, relation, source, *_) in enumerate(edges, start=1):
            if relation.strip() not in USES:
                continue
            place, problem = _place_of(target.strip(), names, groupings)
            if place is None:
                report.unmatched.append(f"row {number}: {target!r}: {problem}")
                continue
            vendor_row, _ = Vendor.objects.get_or_create(name=vendor.strip())
            for technology in sorted(capabilities.get(vendor.strip(), {Claim.Technology.OTHER})):
                claim, created = Claim.objects.get_or_create(
                    place=place,
                    vendor=vendor_row,
                    technology=technology,
                    defaults={
                        "status": Claim.Status.IN_SERVICE,
                        "confidence": Claim.Confidence.RUMOUR,
                        "summary": SUMMARY.format(vendor=vendor.strip(), place=place.name),
                    },
                )
                if created:
                    report.imported += 1
                # A relation may cite several pages, joined by "|": each is a source.
                for url in sources_of(source):
                    Evidence.objects.get_or_create(
                        claim=claim,
                        url=url,
                        defaults={"kind": Evidence.Kind.WEB_PAGE, "notes": ATTRIBUTION},
                    )
        record_import("vendor-graph", path, report, added=report.imported)
    return report
