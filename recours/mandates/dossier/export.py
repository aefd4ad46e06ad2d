"""The server's half of filing: everything the offline step needs, and no secret.

The export holds the campaign, every published text version, and for each confirmed
mandate its sealed record, evidence and commitment. Withdrawn mandates are not in it.
"""

import base64
import json
from pathlib import Path

from django.utils import timezone

from recours.campaigns.models import Campaign, TextVersion
from recours.mandates.dossier import EXPORT_FORMAT
from recours.mandates.models import Mandate


def campaign_header(campaign: Campaign) -> dict:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "language": campaign.language,
        "status": campaign.status,
        "public_key": campaign.public_key,
        "authority": campaign.authority,
        "authority_address": campaign.authority_address,
        "respondent": campaign.respondent,
        "legal_basis": campaign.legal_basis,
        "opens_at": campaign.opens_at.isoformat(),
        "closes_at": campaign.closes_at.isoformat(),
        "organisation": campaign.organisation.as_snapshot(),
    }


def mandate_record(mandate: Mandate, versions: dict[int, str]) -> dict:
    return {
        "ref": mandate.pk,
        "sealed": base64.b64encode(bytes(mandate.sealed_identity)).decode(),
        "sealed_key_id": mandate.sealed_key_id,
        "confirmed_sealed_sha256": mandate.confirmed_sealed_sha256,
        "complaint_sha256": versions[mandate.complaint_version_id],
        "mandate_sha256": versions[mandate.mandate_version_id],
        "signed_at": mandate.signed_at.isoformat(),
        "confirmed_at": mandate.confirmed_at.isoformat(),
        "method": mandate.confirmation_method,
        "evidence_sha256": mandate.evidence_sha256,
        "commitment_salt": mandate.commitment_salt,
        "commitment": mandate.commitment,
        "log_position": mandate.log_position,
        # A paper mandate's scanned form, sealed apart from the identity, which names it.
        **(
            {"sealed_scan": base64.b64encode(bytes(mandate.sealed_scan)).decode()}
            if mandate.sealed_scan is not None
            else {}
        ),
    }


def write_sealed_export(*, campaign: Campaign, path: Path) -> int:
    """Writes the export file (streamed: memory stays flat however many mandates) through a
    temporary file renamed at the end, so that a failure leaves no partial export.
    Returns the number of mandates written."""
    versions = list(TextVersion.objects.filter(campaign=campaign).order_by("kind", "number"))
    hashes = {version.pk: version.sha256 for version in versions}
    header = {
        "format": EXPORT_FORMAT,
        "created_at": timezone.now().isoformat(),
        "campaign": campaign_header(campaign),
        "versions": [
            {
                "kind": version.kind,
                "number": version.number,
                "sha256": version.sha256,
                "content": version.content,
                "published_at": version.published_at.isoformat(),
            }
            for version in versions
        ],
    }
    mandates = (
        Mandate.objects.filter(
            campaign=campaign, status=Mandate.Status.CONFIRMED, sealed_identity__isnull=False
        )
        .order_by("log_position", "pk")
        .iterator(chunk_size=2000)
    )
    temporary = path.with_name(f".{path.name}.partial")
    count = 0
    with temporary.open("w") as out:
        out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "mandates": [\n')
        for mandate in mandates:
            out.write(("," if count else "") + json.dumps(mandate_record(mandate, hashes)) + "\n")
            count += 1
        out.write("]}\n")
    temporary.replace(path)
    return count
