"""Pages rendered once with markers where per-request values go, then filled in for each
request by one join of bytes instead of a template rendering (the campaign page, the
page after a confirmation). The template writes the markers itself, so the kept page
cannot drift from the markup. A marker is `@@name@@`: no template escapes it, and a value
filled in must be safe where the marker stands (a token, a number, a hex digest)."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

MARKERS = re.compile("(@@[a-z-]+@@)")


@dataclass(frozen=True)
class Slotted:
    """Encoded text at even positions, markers at odd ones."""

    parts: tuple[bytes | str, ...]

    @classmethod
    def of(cls, text: str) -> "Slotted":
        return cls(tuple(p if n % 2 else p.encode() for n, p in enumerate(MARKERS.split(text))))

    def filled(self, values: Mapping[str, bytes]) -> bytes:
        # A marker-like string that is not one of `values` (typed by an organiser in a
        # text, say) stays as it was.
        return b"".join(values.get(p, p.encode()) if n % 2 else p for n, p in enumerate(self.parts))
