"""Key rotation: re-sealing a campaign's mandates from its old key to a new one.

1. On the server: `create_campaign_keys <slug> --replace --shares-dir …` makes the new key
   pair; new signatures are sealed to it from then on. Then `export_sealed`.
2. Offline: `reseal_export` opens each record sealed to the old key with the old shares
   and seals it to the new public key, adding the hash of the record as confirmed so the
   evidence still binds it. It reads the export file, never the live database.
3. On the server: `import_resealed` swaps the records in. Old shares can then be destroyed.
"""

import base64
import json
from pathlib import Path

from django.db import transaction

from recours.campaigns.models import Campaign
from recours.core.crypto import SealingError, key_id, seal, unseal
from recours.core.keyshares import KeyShare, combine_shares
from recours.mandates.dossier.build import DossierError, load_export
from recours.mandates.models import Mandate

RESEALED_FORMAT = "recours-resealed/1"


def reseal_export(
    *, export_path: Path, old_shares: list[KeyShare], new_public_key: str, out_path: Path
) -> int:
    export = load_export(export_path)
    old_public = old_shares[0].public_key if old_shares else ""
    private = combine_shares(old_shares, public_key=old_public)
    old_id, new_id = key_id(old_public), key_id(new_public_key)
    records = []
    for record in export["mandates"]:
        if record["sealed_key_id"] != old_id:
            continue
        try:
            identity = unseal(private, base64.b64decode(record["sealed"]))
        except SealingError as exc:
            raise DossierError(
                f"mandate ref {record['ref']} does not open with the old key"
            ) from exc
        identity.setdefault("resealed_from", record["confirmed_sealed_sha256"])
        resealed = {
            "ref": record["ref"],
            "sealed": base64.b64encode(seal(new_public_key, identity)).decode(),
            "sealed_key_id": new_id,
        }
        if "sealed_scan" in record:
            try:
                scan = unseal(private, base64.b64decode(record["sealed_scan"]))
            except SealingError as exc:
                raise DossierError(
                    f"the scan of mandate ref {record['ref']} does not open with the old key"
                ) from exc
            resealed["sealed_scan"] = base64.b64encode(seal(new_public_key, scan)).decode()
        records.append(resealed)
    out = {
        "format": RESEALED_FORMAT,
        "campaign": export["campaign"]["slug"],
        "old_key_id": old_id,
        "new_public_key": new_public_key,
        "records": records,
    }
    temporary = out_path.with_name(f".{out_path.name}.partial")
    temporary.write_text(json.dumps(out))
    temporary.replace(out_path)
    return len(records)


def import_resealed(*, path: Path) -> int:
    """Replaces records sealed to the old key by their re-sealed copies, all or nothing.
    Records withdrawn since the export are left alone (their identity is already gone)."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise DossierError(f"{path} cannot be read as a re-sealed file") from exc
    if data.get("format") != RESEALED_FORMAT:
        raise DossierError(f"{path} is not a Recours re-sealed file")
    campaign = Campaign.objects.filter(slug=data["campaign"]).first()
    if campaign is None:
        raise DossierError(f"no campaign {data['campaign']!r} here")
    if campaign.public_key != data["new_public_key"]:
        raise DossierError("the campaign's current public key is not the one these records use")
    updated = 0
    with transaction.atomic():
        for record in data["records"]:
            updated += Mandate.objects.filter(
                pk=record["ref"],
                campaign=campaign,
                sealed_key_id=data["old_key_id"],
                sealed_identity__isnull=False,
            ).update(
                sealed_identity=base64.b64decode(record["sealed"]),
                sealed_key_id=record["sealed_key_id"],
                **(
                    {"sealed_scan": base64.b64decode(record["sealed_scan"])}
                    if "sealed_scan" in record
                    else {}
                ),
            )
    return updated
