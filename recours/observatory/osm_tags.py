"""OpenStreetMap surveillance tags, read as the wiki defines them
(https://wiki.openstreetmap.org/wiki/Tag:man_made=surveillance, Key:direction)."""

import re

# The 16 compass points the direction key accepts, clockwise from north.
CARDINALS = {
    name: index * 22.5
    for index, name in enumerate("N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW".split())
}
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def _angle(text: str) -> float | None:
    text = text.strip().upper()
    if text in CARDINALS:
        return CARDINALS[text]
    if NUMBER.match(text):
        return float(text) % 360
    return None


def parse_direction(value: str | None) -> list:
    """`camera:direction` or `direction` as a list of angles in degrees and [from, to]
    ranges (clockwise): "45" → [45.0]; "NE" → [45.0]; "0-90" or "N-E" → [[0.0, 90.0]];
    "45;135" → [45.0, 135.0]. Parts that mean nothing ("forward", "up") are left out."""
    out = []
    for part in (value or "").split(";"):
        part = part.strip()
        if not part:
            continue
        # A leading minus is a negative angle, not a range: split on a hyphen after it.
        head, sep, tail = part[1:].partition("-")
        if sep:
            start, end = _angle(part[0] + head), _angle(tail)
            if start is not None and end is not None:
                out.append([start, end])
            continue
        angle = _angle(part)
        if angle is not None:
            out.append(angle)
    return out


def normalise(tags: dict) -> dict:
    """The fields of OsmCamera that come from the tags."""
    return {
        "surveillance_type": tags.get("surveillance:type", "")[:30],
        "camera_type": tags.get("camera:type", "")[:30],
        "zone": tags.get("surveillance:zone", "")[:30],
        "directions": parse_direction(tags.get("camera:direction") or tags.get("direction")),
        "operator": tags.get("operator", "")[:200],
    }
