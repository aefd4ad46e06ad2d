"""Claims (with their evidence) and funding from CSV files, as campaigners keep them in a
spreadsheet. Each row is checked like a form; the rows that pass are imported together,
and every other one is reported with its line and reason, never dropped in silence."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.db import transaction

from recours.observatory.geodata import ImportFailed, read_text, record_import
from recours.observatory.models import Claim, Evidence, Funding, Place, Vendor


class PlaceCodeField(forms.CharField):
    """An INSEE code of a commune, département or région; a merged commune's old code
    is accepted and the record goes to its commune nouvelle."""

    def clean(self, value):
        code = super().clean(value).strip()
        place = (
            Place.objects.filter(code=code)
            .order_by("kind")  # "commune" sorts before "departement" and "region"
            .select_related("merged_into")
            .first()
        )
        if place is None:
            raise forms.ValidationError(f"no place with INSEE code {code!r}")
        return place.merged_into or place


class ClaimRow(forms.Form):
    insee_code = PlaceCodeField()
    technology = forms.ChoiceField(choices=Claim.Technology.choices)
    vendor = forms.CharField(required=False, max_length=200)
    operator = forms.ChoiceField(choices=Claim.Operator.choices, required=False)
    status = forms.ChoiceField(choices=Claim.Status.choices)
    started_on = forms.DateField(required=False)
    ended_on = forms.DateField(required=False)
    quantity = forms.IntegerField(required=False, min_value=0)
    confidence = forms.ChoiceField(choices=Claim.Confidence.choices)
    summary = forms.CharField(required=False, max_length=5000)
    evidence_kind = forms.ChoiceField(choices=Evidence.Kind.choices, required=False)
    evidence_title = forms.CharField(required=False, max_length=300)
    evidence_publisher = forms.CharField(required=False, max_length=200)
    evidence_date = forms.DateField(required=False)
    evidence_url = forms.URLField(required=False, max_length=1000, assume_scheme="https")


class FundingRow(forms.Form):
    insee_code = PlaceCodeField()
    programme = forms.ChoiceField(choices=Funding.Programme.choices)
    year = forms.IntegerField(min_value=1990, max_value=2100)
    amount_eur = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    purpose = forms.CharField(required=False, max_length=5000)
    evidence_url = forms.URLField(required=False, max_length=1000, assume_scheme="https")


@dataclass
class TableReport:
    imported: int = 0
    rejected: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.imported} rows imported; {len(self.rejected)} rows rejected"

    @property
    def problems(self) -> list[str]:
        return self.rejected


def read_rows(path: Path, required: set[str]) -> list[dict]:
    text = read_text(path, spreadsheet=True)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise ImportFailed(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return list(reader)


def _import(kind: str, path: Path, form_class, save) -> TableReport:
    required = {name for name, f in form_class.base_fields.items() if f.required}
    rows = read_rows(path, required)
    report = TableReport()
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):  # line 1 is the header
            form = form_class({key: (value or "").strip() for key, value in row.items() if key})
            if not form.is_valid():
                reasons = "; ".join(
                    f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()
                )
                report.rejected.append(f"line {line}: {reasons}")
                continue
            save(form.cleaned_data)
            report.imported += 1
        if report.imported:
            record_import(kind, path, report, added=report.imported)
    if not report.imported:
        raise ImportFailed(
            f"{path}: no row could be imported\n  " + "\n  ".join(report.rejected[:50])
        )
    return report


def _save_claim(data: dict) -> None:
    vendor = None
    if data["vendor"]:
        vendor, _ = Vendor.objects.get_or_create(name=data["vendor"])
    claim = Claim.objects.create(
        place=data["insee_code"], technology=data["technology"], vendor=vendor,
        operator=data["operator"], status=data["status"], started_on=data["started_on"],
        ended_on=data["ended_on"], quantity=data["quantity"], confidence=data["confidence"],
        summary=data["summary"],
    )  # fmt: skip
    if data["evidence_url"] or data["evidence_title"]:
        Evidence.objects.create(
            claim=claim, kind=data["evidence_kind"] or Evidence.Kind.WEB_PAGE,
            title=data["evidence_title"], publisher=data["evidence_publisher"],
            published_on=data["evidence_date"], url=data["evidence_url"],
        )  # fmt: skip


def _save_funding(data: dict) -> None:
    Funding.objects.create(
        place=data["insee_code"], programme=data["programme"], year=data["year"],
        amount_eur=data["amount_eur"], purpose=data["purpose"], evidence_url=data["evidence_url"],
    )  # fmt: skip


def import_claims(path: Path) -> TableReport:
    return _import("claims", path, ClaimRow, _save_claim)


def import_funding(path: Path) -> TableReport:
    return _import("funding", path, FundingRow, _save_funding)
