"""Removes from a file what it says about who made it, where and when, before it is
stored: the EXIF, XMP and IPTC blocks of a JPEG (GPS position, time, camera serial
number, owner's name), the text and time chunks of a PNG, an OpenDocument's metadata
(author, dates, editing time) and settings (printer names). The content is kept as it
is, only the blocks around it go. A source who sends a photo of a camera should not
send their position with it.

A PDF is kept as it is: rewriting it would break the signature an official document may
carry. It may still name its author; the lead form says so."""

import io
import struct
import zipfile
import zlib

# JPEG segments kept: the picture's own, JFIF (APP0), the colour profile (APP2
# "ICC_PROFILE") and Adobe's colour transform (APP14), without which some JPEGs show
# wrong colours. Every other APPn (EXIF and XMP in APP1, IPTC in APP13…), comments, and
# anything after the end of the image go.
_SOS, _EOI, _COM = 0xDA, 0xD9, 0xFE
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length
# Start-of-frame markers, which give the picture's size (C4, C8 and CC are other things).
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# PNG chunks that go: text (author, software, comments), EXIF and the last-modified time.
_PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Unreadable(ValueError):
    """The file is not what its first bytes announce (truncated, or malformed)."""


def without_metadata(kind: str, content: bytes) -> bytes:
    if kind == "image/jpeg":
        return _jpeg(content)
    if kind == "image/png":
        return _png(content)
    if kind.startswith("application/vnd.oasis.opendocument."):
        return _opendocument(content)
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
        if marker in _SOF and length >= 7:
            height, width = struct.unpack(">HH", content[position + 3 : position + 7])
            check_pixels(width, height)
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
        if kind == b"IHDR":
            if length < 8:
                raise Unreadable("truncated header")
            check_pixels(*struct.unpack(">II", content[position + 8 : position + 16]))
        if kind not in _PNG_DROPPED:
            out.append(content[position:end])
        position = end
        if kind == b"IEND":
            return b"".join(out)
    raise Unreadable("the image has no end")


_ODF_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2"'
# An OpenDocument's metadata and settings, emptied: valid, and saying nothing.
_ODF_EMPTY = {
    "meta.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODF_NS}>'
    "<office:meta/></office:document-meta>",
    "settings.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings '
    f"{_ODF_NS}/>",
}
# What an archive may unpack into, whatever its entries declare (a declared size can lie,
# and a zip bomb's does not need to): all its entries together, at most this many times
# its own size, and in at most this many entries. A real OpenDocument of 10 MB (mostly
# pictures, stored) unpacks into little more; its XML compresses about ten times.
ODF_MAX_UNPACKED = 64 * 1024 * 1024
ODF_MAX_RATIO = 100
ODF_MAX_ENTRIES = 2000
# Pixels an image may declare: a picture of a camera needs far fewer, and a moderator's
# browser must not be made to decode a bomb.
IMAGE_MAX_PIXELS = 50_000_000
CHUNK = 64 * 1024
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


class TooLarge(Unreadable):
    """Over a limit once unpacked or decoded; the message says which."""


def _opendocument(content: bytes) -> bytes:
    out = io.BytesIO()
    budget = min(ODF_MAX_UNPACKED, len(content) * ODF_MAX_RATIO)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
            entries = source.infolist()
            if len(entries) > ODF_MAX_ENTRIES:
                raise TooLarge("too many entries")
            if sum(entry.file_size for entry in entries) > budget:
                raise TooLarge("too large once unpacked")
            for entry in entries:  # "mimetype" first and stored, as it came
                if entry.compress_type not in ZIP_METHODS:
                    raise Unreadable("an entry is compressed in a way OpenDocument never is")
                # Each entry's date is when it was last saved.
                kept = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
                kept.compress_type = entry.compress_type
                if entry.filename in _ODF_EMPTY:
                    target.writestr(kept, _ODF_EMPTY[entry.filename].encode())
                    continue
                with source.open(entry) as reading, target.open(kept, "w") as writing:
                    while chunk := reading.read(CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise TooLarge("too large once unpacked")
                        writing.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError,
            EOFError, OSError, RuntimeError) as exc:  # fmt: skip
        raise Unreadable(f"not a readable archive ({exc})") from exc
    return out.getvalue()


def read_entry(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most `limit` bytes of an entry, read through a bounded stream (the entry may
    declare a small size and unpack into gigabytes, or the reverse)."""
    with archive.open(name) as reading:
        data = reading.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{name} is too large")
    return data


def check_pixels(width: int, height: int) -> None:
    if width * height > IMAGE_MAX_PIXELS:
        raise TooLarge(f"{width} × {height} pixels is more than an image here may have")
