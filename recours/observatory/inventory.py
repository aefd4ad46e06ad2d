"""Import of an official camera inventory: the Préfecture de Police's authorisation for
Paris, published in the Bulletin officiel de la Ville de Paris of 1 February 2019 (annex
1: the Préfecture's plan; annex 2: the cameras Ville de Paris agents can view), with the
positions geocoded by Colin Maudry where street crossings matched.

Each annex is one claim on Paris (official document, in service, its number of cameras),
with one inventory entry per location. Re-importing replaces the entries: one
transaction, all or nothing."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from recours.observatory.geodata import ImportFailed, read_text, record_import
from recours.observatory.models import Claim, Evidence, InventoryEntry, Place

PARIS = "75056"
ATTRIBUTION = (
    "Ville de Paris / Préfecture de Police (BOVP 01/02/2019), extraction Colin Maudry "
    "(ColinMaudry/geo-videoprotection-paris)"
)
BOVP_URL = "https://github.com/ColinMaudry/geo-videoprotection-paris"
ANNEXES = {
    1: ("Plan de vidéoprotection de la Préfecture de Police (annexe 1)",
        Claim.Operator.PREFECTURE),
    2: ("Caméras visibles par les agents de la Ville de Paris (annexe 2)",
        Claim.Operator.MUNICIPAL_POLICE),
}  # fmt: skip
PRECISIONS = {"croisement": "crossing", "point décrit": "described"}
REQUIRED = ["Code postal", "Numéro", "Implantation", "Date de mise en service"]


@dataclass
class InventoryReport:
    entries: int = 0
    geocoded: int = 0
    undated: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.entries} authorised locations imported, {self.geocoded} with a position, "
            f"{self.undated} with no readable commissioning date ({len(self.notes)} dates kept "
            f"as written); {len(self.problems)} rows skipped"
        )


def _rows(path: Path) -> list[dict]:
    text = read_text(path, spreadsheet=True)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    # The files spell the apostrophe of "Précision de l’implantation" either way.
    reader.fieldnames = [name.replace("’", "'").strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in reader.fieldnames]
    if missing:
        raise ImportFailed(f"{path}: not the expected ';'-separated file (missing {missing})")
    return list(reader)


def _date(text: str) -> date | None:
    text = text.strip()
    if not text or text == "inconnue":
        return None
    return datetime.strptime(text, "%d/%m/%y").date()


def _positions(path: Path | None, report: InventoryReport) -> dict[tuple[str, str], tuple]:
    if path is None:
        return {}
    positions = {}
    for line, row in enumerate(_rows(path), start=2):
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except (KeyError, TypeError, ValueError):
            report.problems.append(f"{path.name} line {line}: no usable position")
            continue
        if not (2.2 <= lon <= 2.5 and 48.8 <= lat <= 48.95):
            report.problems.append(f"{path.name} line {line}: position outside Paris")
            continue
        positions[(row["Code postal"].strip(), row["Numéro"].strip().lstrip("0"))] = (lon, lat)
    return positions


def import_paris_inventory(annexes: dict[int, Path], geocoded: Path | None) -> InventoryReport:
    report = InventoryReport()
    paris = Place.objects.filter(kind=Place.Kind.COMMUNE, code=PARIS).first()
    if paris is None:
        raise ImportFailed("Paris (75056) is not among the places: import the places first")
    positions = _positions(geocoded, report)
    parsed = {number: _rows(path) for number, path in annexes.items()}
    with transaction.atomic():
        for number, rows in parsed.items():
            title, operator = ANNEXES[number]
            entries, seen = [], set()
            for line, row in enumerate(rows, start=2):
                reference = row["Numéro"].strip()
                postcode = row["Code postal"].strip()
                if not reference or not postcode.startswith("75"):
                    report.problems.append(f"annex {number} line {line}: no number or not in Paris")
                    continue
                if reference in seen:
                    report.problems.append(
                        f"annex {number} line {line}: number {reference} repeated"
                    )
                    continue
                written = row["Date de mise en service"].strip()
                try:
                    commissioned = _date(written)
                except ValueError:
                    # "Début 2019", "#N/A": the location stands; its date is kept as written.
                    commissioned = None
                    report.notes.append(
                        f"annex {number} line {line}: date {written!r} kept as text"
                    )
                seen.add(reference)
                lon, lat = positions.get((postcode, reference.lstrip("0")), (None, None))
                report.geocoded += lon is not None
                report.undated += commissioned is None
                precision = PRECISIONS.get(
                    row.get("Précision de l'implantation", "").strip(), "other"
                )
                entries.append(InventoryEntry(
                    reference=reference, location_text=row["Implantation"].strip()[:500],
                    postcode=postcode, precision=precision, commissioned_on=commissioned,
                    commissioned_text=written[:40],
                    lon=lon, lat=lat,
                ))  # fmt: skip
            claim = _claim(paris, title, operator, len(entries))
            claim.inventory.all().delete()
            for entry in entries:
                entry.claim = claim
            InventoryEntry.objects.bulk_create(entries, batch_size=1000)
            report.entries += len(entries)
        record_import("paris-inventory", annexes[min(annexes)], report, added=report.entries)
    return report


def _claim(paris: Place, title: str, operator: str, quantity: int) -> Claim:
    """The annex's claim, found again by its evidence's title on a re-import."""
    evidence = (
        Evidence.objects.filter(claim__place=paris, title=title).select_related("claim").first()
    )
    if evidence:
        claim = evidence.claim
        Claim.objects.filter(pk=claim.pk).update(quantity=quantity)
        return claim
    claim = Claim.objects.create(
        place=paris, technology=Claim.Technology.CCTV, operator=operator,
        status=Claim.Status.IN_SERVICE, confidence=Claim.Confidence.OFFICIAL, quantity=quantity,
        summary=f"{title}. Autorisation préfectorale publiée au Bulletin officiel de la Ville "
        f"de Paris du 1er février 2019 : {quantity} emplacements.",
    )  # fmt: skip
    Evidence.objects.create(
        claim=claim, kind=Evidence.Kind.DOCUMENT, title=title,
        publisher="Préfecture de Police / Bulletin officiel de la Ville de Paris",
        published_on=date(2019, 2, 1), url=BOVP_URL, notes=ATTRIBUTION,
    )  # fmt: skip
    return claim
