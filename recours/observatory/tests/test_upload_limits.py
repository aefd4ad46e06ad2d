"""Archives and images are read through bounded streams: a bomb is refused with a clear
message, never a 500, and the worker's memory stays small while it does so."""

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recours.observatory.models import Lead
from recours.observatory.scrub import ODF_MAX_ENTRIES
from recours.observatory.tests.test_leads import post_lead

pytestmark = [pytest.mark.integration]
ODT = "application/vnd.oasis.opendocument.text"
TOO_LARGE = "Ce fichier est trop grand une fois décompressé"


def odt(entries: dict[str, int | bytes]) -> bytes:
    """An OpenDocument whose entries are given bytes, or that many zero bytes (deflated
    while written: the archive stays small, whatever it unpacks into)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as writing:
                if isinstance(content, bytes):
                    writing.write(content)
                    continue
                for _ in range(content // (1 << 20)):
                    writing.write(bytes(1 << 20))
    return buffer.getvalue()


def lying_about_its_size(archive: bytes, name: str, declared: int) -> bytes:
    """The same archive, its entry `name` declaring `declared` bytes unpacked."""
    data = bytearray(archive)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(encoded)] == encoded:
                data[start + offset : start + offset + 4] = struct.pack("<I", declared)
            start += 4
    return bytes(data)


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + header
    chunk += struct.pack(">I", zlib.crc32(b"IHDR" + header))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + chunk + end


def jpeg(width: int, height: int) -> bytes:
    frame = struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xc0" + frame + b"\xff\xd9"


def refusal_of(client, name: str, content: bytes) -> tuple[int, str, int]:
    tracemalloc.start()
    try:
        response = post_lead(client, attachment=SimpleUploadedFile(name, content))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response.status_code, response.content.decode(), peak


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        # The "mimetype" entry alone unpacks into 200 MB (read whole before, to sniff).
        ("bombe.odt", lambda: odt({"mimetype": 200 << 20}), TOO_LARGE),
        # content.xml unpacks into 200 MB: far over a hundred times the file's size.
        ("bombe.odt", lambda: odt({"mimetype": ODT.encode(), "content.xml": 200 << 20}),
         TOO_LARGE),
        # The same, declaring 1 KB: the declared size is not believed.
        ("ment.odt", lambda: lying_about_its_size(
            odt({"mimetype": ODT.encode(), "content.xml": 200 << 20}), "content.xml", 1024),
         "Ce fichier est illisible"),
        ("entrees.odt", lambda: odt({"mimetype": ODT.encode(),
                                     **{f"f{n}.xml": b"x" for n in range(ODF_MAX_ENTRIES + 1)}}),
         TOO_LARGE),
        ("immense.png", lambda: png(100_000, 100_000), TOO_LARGE),
        ("immense.jpg", lambda: jpeg(60_000, 60_000), TOO_LARGE),
    ],
)  # fmt: skip
def test_a_bomb_is_refused_clearly_in_little_memory(client, record, name, make, message):
    content = make()

    status, page, peak = refusal_of(client, name, content)

    assert status == 400
    assert message in page
    assert Lead.objects.count() == 0
    print(f"{name}: {peak / 2**20:.1f} MB allocated to refuse a {len(content):,} B file")
    assert peak < 40 << 20, f"{peak / 2**20:.0f} MB allocated to refuse a {len(content)} B file"


@pytest.mark.django_db
def test_an_ordinary_opendocument_and_picture_still_pass(client, record):
    document = odt({"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"})

    responses = [
        post_lead(client, attachment=SimpleUploadedFile("note.odt", document)),
        post_lead(client, attachment=SimpleUploadedFile("photo.png", png(4000, 3000))),
    ]

    assert [response.status_code for response in responses] == [302, 302]
    assert Lead.objects.count() == 2
