"""Colours organisers choose, checked before any page uses them."""

import re

HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")
PAGE = "#ffffff"
AA_TEXT = 4.5


def luminance(hex_colour: str) -> float:
    """WCAG 2.1's relative luminance of '#rrggbb'."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def is_hex(value: str) -> bool:
    return bool(HEX.match(value))
