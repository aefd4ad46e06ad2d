"""Removes from a photo what it says about who took it, where and when: the EXIF, XMP
and IPTC blocks of a JPEG (GPS position, time, camera serial number, owner's name), the
text and time chunks of a PNG. Lossless: the picture's bytes are kept as they are, only
the blocks around them go. A source who sends a photo of a camera should not send their
position with it.

PDF and OpenDocument files may still name their author; the lead form says so."""

import struct

# JPEG segments kept: the picture's own, JFIF (APP0), the colour profile (APP2
# "ICC_PROFILE") and Adobe's colour transform (APP14), without which some JPEGs show
# wrong colours. Every other APPn (EXIF and XMP in APP1, IPTC in APP13…), comments, and
# anything after the end of the image go.
_SOS, _EOI, _COM = 0xDA, 0xD9, 0xFE
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length
# PNG chunks that go: text (author, software, comments), EXIF and the last-modified time.
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Unreadable(ValueError):
    """The file is not the image its first bytes announce (truncated, or malformed)."""


def without_metadata(kind: str, content: bytes) -> bytes:
    if kind == "image/jpeg":
        return _jpeg(content)
    if kind == "image/png":
        return _png(content)
    return content


def _kept(marker: int, body: bytes) -> bool:
    if 0xE0 <= marker <= 0xEF:
        return (
            marker == 0xE0
            or (marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00"))
            or (marker == 0xEE and body.startswith(b"Adobe"))
        )
    return marker != _COM


def _jpeg(content: bytes) -> bytes:
    if not content.startswith(b"\xff\xd8"):
        raise Unreadable("not a JPEG")
    out = [b"\xff\xd8"]
    position = 2
    while True:
        while position < len(content) and content[position] == 0xFF:
            position += 1  # fill bytes before a marker
        if position >= len(content):
            raise Unreadable("the image ends before its picture data")
        marker = content[position]
        position += 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker in _STANDALONE:
            out.append(bytes([0xFF, marker]))
            continue
        if position + 2 > len(content):
            raise Unreadable("truncated segment")
        (length,) = struct.unpack(">H", content[position : position + 2])
        end = position + length
        if length < 2 or end > len(content):
            raise Unreadable("truncated segment")
        if marker == _SOS:
            end = _scan_end(content, end)
            out.append(b"\xff" + bytes([marker]) + content[position:end])
        elif _kept(marker, content[position + 2 : end]):
            out.append(b"\xff" + bytes([marker]) + content[position:end])
        position = end


def _scan_end(content: bytes, position: int) -> int:
    """Where a scan's entropy-coded data ends: at the first marker that is neither a
    stuffed 0xFF00 nor a restart marker. What follows the end of the image (some phones
    append a video there) is dropped with the rest."""
    while True:
        position = content.find(b"\xff", position)
        if position < 0 or position + 1 >= len(content):
            raise Unreadable("the image ends inside its picture data")
        following = content[position + 1]
        if following == 0 or 0xD0 <= following <= 0xD7:
            position += 2
            continue
        return position


def _png(content: bytes) -> bytes:
    if not content.startswith(_PNG_SIGNATURE):
        raise Unreadable("not a PNG")
    out = [_PNG_SIGNATURE]
    position = len(_PNG_SIGNATURE)
    while position < len(content):
        if position + 8 > len(content):
            raise Unreadable("truncated chunk")
        length, kind = struct.unpack(">I4s", content[position : position + 8])
        end = position + 12 + length  # length, type, data, CRC
        if end > len(content):
            raise Unreadable("truncated chunk")
        if kind not in _PNG_DROPPED:
            out.append(content[position:end])
        position = end
        if kind == b"IEND":
            return b"".join(out)
    raise Unreadable("the image has no end")
