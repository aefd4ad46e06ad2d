"""The offline half of filing: open the sealed records with the organisers' shares and
write the dossier the authority receives. Needs no database and no network.

Everything is written into a temporary directory beside the target and renamed at the
end: a failure at any point leaves no partial dossier.
"""

import base64
import csv
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from recours.core.crypto import SealingError, key_id, sha256_file, sha256_hex, unseal
from recours.core.keyshares import KeyShare, combine_shares
from recours.core.merkle import leaf_hash, root_from_leaf_hashes
from recours.core.pdf import markdown_blocks, render_pdf
from recours.core.spreadsheet import safe_row
from recours.mandates.digests import commitment_for, evidence_digest_of
from recours.mandates.dossier import EXPORT_FORMAT
from recours.mandates.dossier.workers import (
    ANNEX_CHUNK,
    in_workers,
    render_annex_piece,
    write_letter_piece,
)

TYPST = Path(__file__).resolve().parent / "typst"
LETTER_CHUNK = 200  # ~250 MB per worker
MANIFEST = "manifest.json"
PAPER = "paper"
# A postcode in a postal address: four or five digits standing alone (FR, DE, BE, CH…).
POSTCODE = re.compile(r"(?<!\d)\d{4,5}(?!\d)")


class DossierError(Exception):
    """Something a person must fix; the message says what, in plain words."""


@dataclass
class Signer:
    number: int
    given_names: str
    surname: str
    email: str
    postal_address: str
    record: dict
    # A paper mandate: the date written on the form, and its scan, checked against the
    # hash its sealed identity holds.
    signed_on: str = ""
    scan: bytes | None = None
    scan_type: str = ""

    @property
    def name(self) -> str:
        return f"{self.surname.upper()} {self.given_names}"

    @property
    def on_paper(self) -> bool:
        return self.record["method"] == PAPER

    @property
    def support(self) -> str:
        return "papier" if self.on_paper else "en ligne"


def load_export(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            data = json.load(handle)
    except FileNotFoundError as exc:
        raise DossierError(f"{path}: no such file") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DossierError(
            f"{path} is not a complete export: it is truncated or damaged ({exc.__class__.__name__})"
        ) from exc
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise DossierError(f"{path} is not a Recours sealed export ({EXPORT_FORMAT})")
    return data


def _utc(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def open_records(export: dict, private: str) -> list[Signer]:
    """Checks each record's evidence and commitment, then opens it. Any mismatch stops
    everything: a dossier is built from an intact export or not at all."""
    campaign = export["campaign"]
    current_key = key_id(campaign["public_key"])
    stale = sum(1 for record in export["mandates"] if record["sealed_key_id"] != current_key)
    if stale:
        raise DossierError(
            f"{stale} mandate(s) are sealed to an older campaign key: finish the key rotation "
            "(reseal_export, then import_resealed on the server) and export again"
        )
    signers = []
    for number, record in enumerate(export["mandates"], start=1):
        sealed = base64.b64decode(record["sealed"])
        evidence = evidence_digest_of(
            campaign=campaign["slug"],
            complaint_sha256=record["complaint_sha256"],
            mandate_sha256=record["mandate_sha256"],
            sealed_sha256=record["confirmed_sealed_sha256"],
            signed_at=record["signed_at"],
            confirmed_at=record["confirmed_at"],
            method=record["method"],
        )
        commitment = commitment_for(
            salt=record["commitment_salt"],
            evidence_sha256=evidence,
            sealed_sha256=record["confirmed_sealed_sha256"],
        )
        if evidence != record["evidence_sha256"] or commitment != record["commitment"]:
            raise DossierError(f"mandate {number} (ref {record['ref']}) was altered in the export")
        try:
            identity = unseal(private, sealed)
        except SealingError as exc:
            raise DossierError(f"mandate {number} (ref {record['ref']}) cannot be opened") from exc
        # The record is the one confirmed, or a re-sealing of it made at a key rotation.
        original = identity.get("resealed_from", sha256_hex(sealed))
        if (
            original != record["confirmed_sealed_sha256"]
            or identity.get("complaint_sha256") != record["complaint_sha256"]
        ):
            raise DossierError(f"mandate {number} (ref {record['ref']}) was altered in the export")
        signer = Signer(
            number=number,
            given_names=identity["given_names"],
            surname=identity["surname"],
            email=identity["email"],
            postal_address=identity.get("postal_address", ""),
            record=record,
        )
        if signer.on_paper:
            _open_scan(signer, identity, private)
        signers.append(signer)
    return signers


def _open_scan(signer: Signer, identity: dict, private: str) -> None:
    """A paper mandate's scan, opened and checked against the hash its identity holds.
    Its base64 leaves the record once decoded: scans are the bulk of an export."""
    record = signer.record
    altered = DossierError(
        f"the scan of mandate {signer.number} (ref {record['ref']}) is missing or was altered"
    )
    try:
        sealed = unseal(private, base64.b64decode(record.pop("sealed_scan")))
        scan = base64.b64decode(sealed["base64"])
    except (KeyError, ValueError, SealingError) as exc:
        raise altered from exc
    if sha256_hex(scan) != identity.get("scan_sha256"):
        raise altered
    signer.scan, signer.scan_type = scan, identity.get("scan_type", "")
    signer.signed_on = identity.get("signed_on", "")


def build_dossier(
    *, export_path: Path, shares: list[KeyShare], out_dir: Path, per_signer: bool
) -> dict:
    """Writes the dossier into `out_dir` (which must not exist). Returns the manifest."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        raise DossierError(f"{out_dir} already exists; choose a new directory")
    export = load_export(export_path)
    private = combine_shares(shares, public_key=export.get("campaign", {}).get("public_key"))
    try:
        signers = open_records(export, private)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, DossierError):
            raise
        raise DossierError(f"{export_path}: a record is incomplete ({exc})") from exc
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        with translation.override(export["campaign"].get("language", "fr")):
            _write_all(work, export, signers, per_signer)
            manifest = _write_manifest(work, export, signers)
        os.rename(work, out_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _write_review(review_path(out_dir), likely_duplicates(signers))
    return manifest


def review_path(out_dir: Path) -> Path:
    """Beside the dossier, not in it: what the organisers check before filing."""
    out_dir = Path(out_dir)
    return out_dir.with_name(f"{out_dir.name}-doublons-a-verifier.csv")


def _folded(text: str) -> list[str]:
    """Words without case, accents or punctuation: "Lefèvre-Dupont" is "lefevre dupont"."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", bare.casefold()).split()


def _postcode(address: str) -> str:
    codes = POSTCODE.findall(address)
    return codes[-1] if codes else ""


def likely_duplicates(signers: list[Signer]) -> list[list[Signer]]:
    """Groups of mandates with the same name (words in any order) and postcode, where at
    least one was given on paper: a paper form without an e-mail address could not be
    deduplicated on the server, and one person may have signed twice. The organisers
    decide; nothing here removes anyone."""
    groups: dict[tuple, list[Signer]] = {}
    for signer in signers:
        words = tuple(sorted(_folded(f"{signer.surname} {signer.given_names}")))
        groups.setdefault((words, _postcode(signer.postal_address)), []).append(signer)
    return [
        group
        for group in groups.values()
        if len(group) > 1 and any(signer.on_paper for signer in group)
    ]


def _write_review(path: Path, groups: list[list[Signer]]) -> None:
    if not groups:
        path.unlink(missing_ok=True)
        return
    temporary = path.with_name(f".{path.name}.partial")
    fields = ["groupe", "numero", "ref", "support", "nom", "prenoms", "adresse", "signe_le"]
    with temporary.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for number, group in enumerate(groups, start=1):
            for signer in group:
                row = {
                    "groupe": number,
                    "numero": signer.number,
                    "ref": signer.record["ref"],
                    "support": signer.support,
                    "nom": signer.surname,
                    "prenoms": signer.given_names,
                    "adresse": signer.postal_address.replace("\n", ", "),
                    "signe_le": signer.signed_on or _utc(signer.record["signed_at"]),
                }
                writer.writerow(safe_row(row))
    os.chmod(temporary, 0o600)
    temporary.replace(path)


def _latest(export: dict, kind: str) -> dict:
    versions = [v for v in export["versions"] if v["kind"] == kind]
    if not versions:
        raise DossierError(f"the export has no published {kind} text")
    return max(versions, key=lambda version: version["number"])


def _write_all(work: Path, export: dict, signers: list[Signer], per_signer: bool) -> None:
    campaign = export["campaign"]
    complaint = _latest(export, "complaint")
    mandate = _latest(export, "mandate")
    organisation = campaign["organisation"]
    lang = campaign.get("language", "fr")
    mandate_blocks = markdown_blocks(mandate["content"]["text"])

    (work / "plainte.pdf").write_bytes(
        render_pdf(
            TYPST / "plainte.typ",
            {
                "title": complaint["content"]["title"],
                "lang": lang,
                "place_date": _("Fait le %(date)s") % {"date": timezone.now().strftime("%d/%m/%Y")},
                "organisation": organisation,
                "authority": campaign["authority"],
                "authority_address": campaign["authority_address"],
                "respondent": campaign["respondent"],
                "legal_basis": campaign["legal_basis"],
                "count": str(len(signers)),
                "body": markdown_blocks(complaint["content"]["body"]),
                "grounds": [
                    {
                        "title": ground["title"],
                        "body": markdown_blocks(ground["text"]),
                        "sources": ground["sources"],
                    }
                    for ground in complaint["content"]["grounds"]
                ],
                "mandate": mandate_blocks,
                "complaint_sha256": complaint["sha256"],
                "mandate_sha256": mandate["sha256"],
                "labels": {
                    "respondent": _("Responsable de traitement visé :"),
                    "legal_basis": _("Fondement :"),
                    "signers": _("Nombre de personnes représentées :"),
                    "grounds": _("Griefs"),
                    "sources": _("Sources :"),
                    "representative": _("L'organisation mandataire"),
                    "statutory_object": _("Objet statutaire :"),
                    "powers": _("Pouvoirs confiés par les mandats"),
                    "version": _("Empreinte SHA-256 du texte de la plainte :"),
                    "mandate_version": _("Empreinte SHA-256 du texte du mandat :"),
                },
            },
        )
    )

    rows = [
        {
            "numero": signer.number,
            "nom": signer.surname,
            "prenoms": signer.given_names,
            "adresse": signer.postal_address,
            "email": signer.email,
            # On paper: the date written on the form, and when it was entered.
            "signe_le": signer.signed_on or _utc(signer.record["signed_at"]),
            "confirme_le": _utc(signer.record["confirmed_at"]),
            "methode": signer.record["method"],
            "support": signer.support,
            "empreinte_scan": sha256_hex(signer.scan) if signer.scan else "",
            "empreinte_plainte": signer.record["complaint_sha256"],
            "empreinte_mandat": signer.record["mandate_sha256"],
            "empreinte_preuve": signer.record["evidence_sha256"],
            "engagement": signer.record["commitment"],
        }
        for signer in signers
    ]
    with (work / "mandataires.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["numero"])
        writer.writeheader()
        writer.writerows(safe_row(row) for row in rows)
    (work / "mandataires.json").write_text(
        json.dumps(
            {"campaign": campaign["slug"], "mandataires": rows}, ensure_ascii=False, indent=1
        )
    )
    _write_annex(work / "mandataires.pdf", campaign, complaint, rows, lang)
    if per_signer:
        scans = work / ".scans"  # read by the workers, gone before the manifest
        scans.mkdir()
        for signer in signers:
            if signer.scan is not None:
                (scans / f"{signer.number}").write_bytes(signer.scan)
        _write_letters(work / "mandats", campaign, complaint, mandate_blocks, rows, lang, scans)
        shutil.rmtree(scans)


def _write_annex(path: Path, campaign: dict, complaint: dict, rows: list[dict], lang: str) -> None:
    """The list of mandators, laid out in pieces on every core and joined. Its rows are
    numbered; its pages are not, since pieces are laid out side by side."""
    common = {
        "title": _("Annexe : liste des mandataires"),
        "subtitle": complaint["content"]["title"],
        "lang": lang,
        "columns": [
            _("N°"),
            _("Nom et prénoms"),
            _("Adresse"),
            _("Signé le"),
            _("Confirmé le"),
            _("Texte signé"),
        ],
    }
    pieces = [
        [
            [
                str(row["numero"]),
                f"{row['nom'].upper()} {row['prenoms']}",
                row["adresse"].replace("\n", ", "),
                row["signe_le"],
                _("papier, saisi le %(date)s") % {"date": row["confirme_le"]}
                if row["support"] == "papier"
                else row["confirme_le"],
                row["empreinte_plainte"][:16],
            ]
            for row in rows[start : start + ANNEX_CHUNK]
        ]
        for start in range(0, max(len(rows), 1), ANNEX_CHUNK)
    ]
    writer = PdfWriter()
    for pdf in in_workers(render_annex_piece, common, pieces):
        writer.append(PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": common["title"], "/Author": "Recours"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    with path.open("wb") as handle:
        writer.write(handle)


def _write_letters(folder: Path, campaign, complaint, mandate_blocks, rows, lang, scans) -> None:
    """One PDF per signer: chunks of signers are laid out as one document each, on every
    core, and each page is saved as its own file, followed by the scan of a paper form."""
    folder.mkdir()
    labels = {
        "mandator": _("Mandant :"),
        "address": _("Adresse :"),
        "representative": _("Mandataire :"),
        "complaint": _("Plainte :"),
        "evidence": _("Preuve de signature électronique simple (eIDAS art. 25, C. civ. 1366-1367)"),
        "signed_at": _("signé le"),
        "confirmed_at": _("e-mail confirmé le"),
        "method": _("méthode :"),
        "text_hash": _("Empreinte du texte de la plainte :"),
        "mandate_hash": _("Empreinte du texte du mandat :"),
        "evidence_hash": _("Empreinte de la preuve :"),
        "number": _("Mandat n°"),
        "paper_evidence": _(
            "Mandat signé à la main sur papier (C. civ. 1367) ; le formulaire signé est reproduit "
            "à la suite"
        ),
        "paper_signed_on": _("signé sur papier le"),
        "entered_at": _("saisi le"),
        "scan_hash": _("Empreinte du scan :"),
    }
    common = {
        "title": complaint["content"]["title"],
        "heading": _("Mandat de représentation"),
        "lang": lang,
        "organisation": campaign["organisation"],
        "mandate": mandate_blocks,
        "labels": labels,
    }
    chunks = [
        [
            {
                "number": str(row["numero"]),
                "name": f"{row['nom'].upper()} {row['prenoms']}",
                "address": row["adresse"].replace("\n", ", "),
                "signed_at": row["signe_le"],
                "confirmed_at": row["confirme_le"],
                "method": row["methode"],
                "complaint_sha256": row["empreinte_plainte"],
                "mandate_sha256": row["empreinte_mandat"],
                "evidence_sha256": row["empreinte_preuve"],
                "paper": row["support"] == "papier",
                "scan_sha256": row["empreinte_scan"],
                "scan": str(scans / str(row["numero"])) if row["empreinte_scan"] else "",
            }
            for row in rows[start : start + LETTER_CHUNK]
        ]
        for start in range(0, len(rows), LETTER_CHUNK)
    ]
    in_workers(write_letter_piece, {**common, "folder": str(folder)}, chunks)


def commitments_root(commitments: list[str]) -> str:
    return root_from_leaf_hashes([leaf_hash(bytes.fromhex(c)) for c in commitments]).hex()


def _write_manifest(work: Path, export: dict, signers: list[Signer]) -> dict:
    files = {
        str(path.relative_to(work)): sha256_file(path)
        for path in sorted(work.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": "recours-dossier/1",
        "created_at": timezone.now().isoformat(),
        "campaign": export["campaign"]["slug"],
        "title": _latest(export, "complaint")["content"]["title"],
        "mandates": len(signers),
        "versions": {f"{v['kind']}-{v['number']}": v["sha256"] for v in export["versions"]},
        "merkle_root": commitments_root([s.record["commitment"] for s in signers]),
        "merkle_tree": "RFC 9162 over the commitments of mandataires.json, in order",
        "files": files,
    }
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest
