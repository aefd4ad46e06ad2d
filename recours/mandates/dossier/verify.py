"""Checks a dossier against its manifest: every file's SHA-256, nothing missing or added,
and the Merkle root of the mandate commitments. Says exactly what differs."""

import json
from pathlib import Path

from recours.core.crypto import sha256_file
from recours.mandates.dossier.build import MANIFEST, commitments_root


def verify_dossier(directory: Path) -> list[str]:
    directory = Path(directory)
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        return [f"{MANIFEST} is missing: this is not a Recours dossier, or it is incomplete"]
    try:
        manifest = json.loads(manifest_path.read_text())
        expected = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        return [f"{MANIFEST} is damaged and cannot be read"]
    problems = []
    present = {
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    for name, digest in sorted(expected.items()):
        path = directory / name
        if name not in present:
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: content differs from the manifest (SHA-256)")
    problems += [f"{name}: not listed in the manifest" for name in sorted(present - set(expected))]
    try:
        rows = json.loads((directory / "mandataires.json").read_text())["mandataires"]
        root = commitments_root([row["engagement"] for row in rows])
    except (OSError, ValueError, KeyError, TypeError):
        problems.append("mandataires.json cannot be read: the Merkle root cannot be checked")
    else:
        if root != manifest.get("merkle_root"):
            problems.append("the Merkle root of the commitments differs from the manifest")
        if len(rows) != manifest.get("mandates"):
            problems.append("the number of mandates differs from the manifest")
    return problems
