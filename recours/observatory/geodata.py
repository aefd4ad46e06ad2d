"""Reading geographic files for the imports, with clear errors instead of tracebacks."""

import json
from pathlib import Path


class ImportFailed(Exception):
    """Nothing could be imported; the message says why, for a person to act on."""


def read_json(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 (byte {exc.start}); GeoJSON must be UTF-8") from exc
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
