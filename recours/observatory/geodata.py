"""Reading the imports' files with clear errors instead of tracebacks, and recording
what each import did."""

import gzip
import json
import zlib
from pathlib import Path

from recours.core.crypto import sha256_file
from recours.observatory.mapdata import warm_after_commit
from recours.observatory.models import ImportRun


class ImportFailed(Exception):
    """Nothing could be imported; the message says why, for a person to act on."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a `.gz` file is decompressed (extracts are often shipped so)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read ({exc.strerror})") from exc
    if path.suffix != ".gz":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportFailed(f"{path}: not a complete gzip file ({exc})") from exc


def in_folder(folder: Path, name: str) -> Path:
    """`name` in `folder`, or its gzipped copy when only that is there."""
    plain = folder / name
    packed = folder / f"{name}.gz"
    return packed if not plain.exists() and packed.exists() else plain


def read_text(path: Path, *, spreadsheet: bool = False) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark), or, for a file that
    may come from a spreadsheet, Windows-1252, which spreadsheets still export."""
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if spreadsheet:
            return raw.decode("cp1252", errors="replace")
        raise ImportFailed(f"{path}: not UTF-8 (byte {exc.start})") from exc


def read_json(path: Path) -> dict:
    try:
        return json.loads(read_text(path))
    except ImportFailed as exc:
        raise ImportFailed(f"{exc}; GeoJSON must be UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg});"
            " the file may be truncated"
        ) from exc


def features_of(path: Path) -> list[dict]:
    data = read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFailed(f"{path}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise ImportFailed(f"{path}: the FeatureCollection has no list of features")
    return features


def record_import(
    kind: str, path: Path, report, *, details: dict | None = None, **counts: int
) -> None:
    """An ImportRun row for the import of `path`; `report` has summary() and problems.
    Once the import is committed, the national map is built for the cache, so that no
    visitor waits for it (imports are when the map changes most)."""
    warm_after_commit()
    ImportRun.objects.create(
        kind=kind,
        source_name=path.name,
        source_sha256=sha256_file(path),
        report="\n".join([report.summary(), *report.problems[:1000]]),
        **(details or {}),
        **counts,
    )
