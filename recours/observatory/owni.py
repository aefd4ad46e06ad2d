"""The declared camera counts of French communes gathered in 2009–2011 by Jean-Marc
Manach for OWNI and "Bug Brother" (CC BY-SA, via padorange/cctv): each count with its
sources becomes a documented deployment, each source its evidence.

A count of 0 declares no deployment, and a count without a source documents nothing:
both are reported, not imported. A code merged into a commune nouvelle since 2011 goes
to that commune: through the places' own mergers, or a table of old and new codes
(`mergers`, for communes merged before the outlines were drawn). Importing the file again
adds nothing twice."""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from recours.observatory.geodata import ImportFailed, record_import
from recours.observatory.models import Claim, Evidence, Place
from recours.observatory.tables import read_rows

SURVEY = "enquête OWNI / Bug Brother, 2009-2011"
# Sources that are the authority's own word: the commune, the ministry, Parliament.
OFFICIAL = re.compile(
    r"^(rapport|site internet de la ville|bulletin municipal|conseil municipal|préfecture)", re.I
)
DATE_IN_URL = re.compile(r"/(20[01]\d)/(\d\d)/(\d\d)/")


@dataclass
class OwniReport:
    imported: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.imported} declared counts imported as deployments, {self.already} already "
            f"there; {len(self.problems)} set aside"
        )


def _places(mergers: Path | None) -> dict[str, int]:
    """Every commune's id by code, a merged one's code leading to its commune nouvelle,
    and each old code of the mergers table (old_code,new_code) to its commune."""
    rows = Place.objects.filter(kind=Place.Kind.COMMUNE).values_list("code", "pk", "merged_into")
    by_code = {code: merged_into or pk for code, pk, merged_into in rows}
    if mergers is not None:
        for row in read_rows(mergers, {"old_code", "new_code"}):
            old, new = row["old_code"].strip(), row["new_code"].strip()
            if old not in by_code and new in by_code:
                by_code[old] = by_code[new]
    return by_code


def _sources(row: dict) -> list[tuple[str, str]]:
    pairs = [(row.get(f"source_title_{n}", ""), row.get(f"source_url_{n}", "")) for n in (1, 2)]
    return [(title.strip(), url.strip()) for title, url in pairs if title.strip() or url.strip()]


def _published_on(url: str) -> date | None:
    """A press article's day, when its address carries it (/2009/11/06/)."""
    if match := DATE_IN_URL.search(url):
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            return None
    return None


def _publisher(title: str) -> str:
    """ "La Dépêche (2009)" names its publisher; a report's title does not."""
    match = re.fullmatch(r"(.+?)\s*\((\d{4})\)", title)
    return match.group(1)[:200] if match else ""


def import_owni_counts(path: Path, *, mergers: Path | None = None) -> OwniReport:
    rows = read_rows(path, {"insee_com", "cameras", "source_title_1", "source_url_1"})
    report = OwniReport()
    places = _places(mergers)
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            code, count = row["insee_com"].strip(), row["cameras"].strip()
            sources = _sources(row)
            place = places.get(code)
            if place is None:
                report.problems.append(f"line {line}: no commune with INSEE code {code!r}")
            elif not count.isdigit():
                report.problems.append(f"line {line}: camera count {count!r} is not a number")
            elif int(count) == 0:
                report.problems.append(f"line {line}: {code} declared no camera; no deployment")
            elif not sources:
                report.problems.append(f"line {line}: {code} has no source; nothing documents it")
            elif _save(place, int(count), row.get("comment", "").strip(), sources):
                report.imported += 1
            else:
                report.already += 1
        if not report.imported and not report.already:
            raise ImportFailed(
                f"{path}: no count could be imported\n  " + "\n  ".join(report.problems[:50])
            )
        record_import("owni-counts", path, report, added=report.imported, unchanged=report.already)
    return report


def _save(place: int, count: int, comment: str, sources: list[tuple[str, str]]) -> bool:
    summary = f"{count} caméras déclarées ({SURVEY})." + (f" {comment}." if comment else "")
    if Claim.objects.filter(
        place=place, technology=Claim.Technology.CCTV, summary=summary
    ).exists():
        return False
    official = any(OFFICIAL.match(title) for title, _url in sources)
    claim = Claim.objects.create(
        place_id=place,
        technology=Claim.Technology.CCTV,
        status=Claim.Status.IN_SERVICE,
        quantity=count,
        confidence=Claim.Confidence.OFFICIAL if official else Claim.Confidence.PRESS,
        summary=summary,
    )
    Evidence.objects.bulk_create(
        Evidence(
            claim=claim,
            kind=Evidence.Kind.DOCUMENT
            if title.lower().startswith("rapport")
            else Evidence.Kind.WEB_PAGE,
            title=title[:300] or url[:300],
            publisher=_publisher(title),
            published_on=_published_on(url),
            url=url[:1000],
            notes=f"Source citée par l'{SURVEY} (CC BY-SA, via padorange/cctv).",
        )
        for title, url in sources
    )
    return True
