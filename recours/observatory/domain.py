"""Every edit of the observatory's record: claims, their sources, public funding.

The console, the admin, the API and the moderation of leads all write through these
functions, so that a claim's public history is computed in one way (a vendor by its name,
never its id) and the map is rebuilt once per transaction, when it commits. Imports write
in bulk and are recorded as ImportRuns instead (geodata.record_import)."""

import hashlib
from datetime import date

from django.db import models, transaction

from recours.observatory.mapdata import warm_after_commit
from recours.observatory.models import Claim, ClaimChange, Evidence, Funding

# The fields of a claim whose changes its history records (ClaimChange.LABELS names them).
HISTORY_FIELDS = [
    "place",
    "technology",
    "vendor",
    "operator",
    "status",
    "started_on",
    "ended_on",
    "quantity",
    "confidence",
    "summary",
]
REQUIRED_FIELDS = {"place", "technology", "status", "confidence"}


class ClaimError(ValueError):
    """An edit that would leave a claim wrong; the message says why, for people."""


def history_value(value) -> str:
    """A value as the public history shows it: a related row by its name, a date in ISO
    form, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _check(claim: Claim) -> None:
    for name in REQUIRED_FIELDS:
        if getattr(claim, claim._meta.get_field(name).attname) in (None, ""):
            raise ClaimError(f"{name} cannot be empty")
    if claim.started_on and claim.ended_on and claim.ended_on < claim.started_on:
        raise ClaimError("ended_on is before started_on")


def record_change(*, claim: Claim, changes: dict, by: str) -> None:
    """One line of a claim's history; `changes` is {field: [before, after]} as strings."""
    if changes:
        ClaimChange.objects.create(claim=claim, changes=changes, by=by)


def create_claim(*, claim: Claim, by: str, origin: str) -> Claim:
    """Saves a new claim, records its creation (`origin` says where it came from: "api",
    "admin", "lead 12") and has the map rebuilt once the transaction commits."""
    _check(claim)
    with transaction.atomic():
        claim.save()
        record_change(claim=claim, changes={"created": ["", origin]}, by=by)
        warm_after_commit()
    return claim


def update_claim(*, claim: Claim, changes: dict, by: str) -> Claim:
    """Applies `changes` ({field: new value}, a vendor or a place as the row itself) to the
    claim under a row lock, records what changed in its history (before and after as the
    public reads them) and has the map rebuilt once the transaction commits. A change
    that leaves the claim wrong (dates in the wrong order, a required field emptied)
    raises ClaimError and changes nothing."""
    unknown = set(changes) - set(HISTORY_FIELDS)
    if unknown:
        raise ClaimError(f"not a field of a claim: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        # Locks the claim's row only: PostgreSQL cannot lock the nullable side of the
        # outer join that brings its vendor.
        current = Claim.objects.select_for_update(of=("self",)).select_related("place", "vendor")
        current = current.get(pk=claim.pk)
        history = {}
        for name, value in changes.items():
            before = getattr(current, name)
            if before != value:
                history[name] = [history_value(before), history_value(value)]
                setattr(current, name, value)
        _check(current)
        if history:
            current.save()
            record_change(claim=current, changes=history, by=by)
            warm_after_commit()
    return current


def save_evidence(*, evidence: Evidence, by: str) -> Evidence:
    """Saves a source of a claim; a new one is recorded in the claim's history. A newly
    attached copy gets its SHA-256 as it is saved: the proof that it is unaltered."""
    # FieldFile._committed is False while a new upload waits to be stored (Django's own
    # FileField.pre_save reads it the same way).
    if evidence.copy and not evidence.copy._committed:
        evidence.copy.seek(0)
        evidence.sha256 = hashlib.sha256(evidence.copy.read()).hexdigest()
        evidence.copy.seek(0)
    new = evidence.pk is None
    with transaction.atomic():
        evidence.save()
        if new:
            after = evidence.url or evidence.title
            record_change(claim=evidence.claim, changes={"evidence": ["", after]}, by=by)
    return evidence


def _delete(model, rows) -> int:
    with transaction.atomic():
        deleted, _ = model.objects.filter(pk__in=[row.pk for row in rows]).delete()
        warm_after_commit()
    return deleted


def delete_claims(*, claims) -> int:
    """Deletes claims with their history and sources; the map is rebuilt at commit."""
    return _delete(Claim, claims)


def save_funding(*, funding: Funding) -> Funding:
    """Saves a public funding row (new or edited); the map is rebuilt at commit."""
    with transaction.atomic():
        funding.save()
        warm_after_commit()
    return funding


def delete_funding(*, fundings) -> int:
    """Deletes public funding rows; the map is rebuilt at commit."""
    return _delete(Funding, fundings)
