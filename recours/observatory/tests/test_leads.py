"""The public lead form, its checks on attachments, and the moderators' queue."""

import hashlib
import io
import struct
import zipfile
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from recours.observatory.models import Lead
from recours.testing import signed_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Drawn by Chromium's canvas (tests/data): a JPEG with JFIF and an ICC profile, a PNG.
JPEG = (Path(__file__).parent / "data" / "square.jpg").read_bytes()
PNG = (Path(__file__).parent / "data" / "square.png").read_bytes()


def segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def photo_with_metadata() -> bytes:
    """The JPEG as a phone would send it: EXIF with a GPS position, XMP, IPTC, a comment,
    and a video appended after the end of the image."""
    exif = segment(0xE1, b"Exif\x00\x00MM\x00*GPSLatitude 43.6954 GPSLongitude 7.2659")
    xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:creator>Jeanne Dupont</x:creator>")
    iptc = segment(0xED, b"Photoshop 3.0\x008BIM by Jeanne Dupont")
    comment = segment(0xFE, b"iPhone of Jeanne Dupont, 2026-11-28 08:12")
    return JPEG[:2] + exif + xmp + JPEG[2:20] + iptc + comment + JPEG[20:] + b"ftypmp42 GPS"


def post_lead(client, **extra):
    data = {"place_text": "Nice", "technology": "vsa",
            "description": "Des caméras « intelligentes » place Masséna.", **extra}  # fmt: skip
    return client.post(
        reverse("observatory:report_lead") + "?lieu=commune/06088", data, REMOTE_ADDR="203.0.113.9"
    )


def test_an_anonymous_lead_with_a_document_is_queued_without_the_senders_address(client, record):
    response = post_lead(client, attachment=SimpleUploadedFile("arrete.pdf", PDF))

    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.place == record and lead.status == "new" and lead.contact == ""
    assert lead.attachment_type == "application/pdf"
    assert lead.attachment_sha256 == hashlib.sha256(PDF).hexdigest()
    assert "arrete" not in lead.attachment.name  # stored under a random name
    stored = " ".join(str(getattr(lead, field.attname)) for field in Lead._meta.fields)
    assert "203.0.113" not in stored


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a Windows program"),  # not what it says
        ("page.html", b"<html><script>alert(1)</script></html>"),  # text, but not .txt
        ("image.png", PDF),  # a PDF named as an image
        ("archive.odt", b"PK\x03\x04 truncated zip"),
    ],
)
def test_an_attachment_of_the_wrong_type_is_refused_and_nothing_saved(
    client, record, name, content
):
    response = post_lead(client, attachment=SimpleUploadedFile(name, content))

    assert response.status_code == 400
    assert "type de fichier" in response.content.decode()
    assert Lead.objects.count() == 0


def test_a_photo_loses_what_it_says_of_who_took_it_where_and_when(client, record):
    png = PNG[:-12] + chunk(b"tEXt", b"Author\x00Jeanne Dupont") + chunk(b"tIME", b"\x07\xea\x0b\x1c\x08\x0c\x00") + PNG[-12:]  # fmt: skip

    for name, sent, kept in [("camera.jpg", photo_with_metadata(), JPEG), ("camera.png", png, PNG)]:
        assert post_lead(client, attachment=SimpleUploadedFile(name, sent)).status_code == 302
        lead = Lead.objects.latest("pk")
        stored = lead.attachment.read()
        # Byte for byte the picture Chromium drew: only the metadata around it went.
        assert stored == kept and b"Jeanne" not in stored and b"GPS" not in stored
        assert lead.attachment_sha256 == hashlib.sha256(kept).hexdigest()


@pytest.mark.parametrize("cut", [JPEG[: len(JPEG) // 2], JPEG[:25], PNG[:60]])
def test_a_truncated_image_is_refused(client, record, cut):
    name = "photo.png" if cut.startswith(b"\x89PNG") else "photo.jpg"
    response = post_lead(client, attachment=SimpleUploadedFile(name, cut))

    assert response.status_code == 400 and "illisible" in response.content.decode()
    assert not Lead.objects.exists()


def test_an_opendocument_loses_its_author_dates_and_printer(client, record):
    content = "<office:document-content>Arrêté n° 12</office:document-content>"
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", "<meta:initial-creator>Jeanne Dupont</meta:initial-creator>")
        archive.writestr("settings.xml", "<config:config-item>PrinterName HP-de-Jeanne")

    response = post_lead(client, attachment=SimpleUploadedFile("cr.odt", odt.getvalue()))

    assert response.status_code == 302
    stored = zipfile.ZipFile(Lead.objects.get().attachment.open("rb"))
    first = stored.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert stored.read("content.xml").decode() == content
    assert b"Jeanne" not in stored.read("meta.xml") + stored.read("settings.xml")
    assert {entry.date_time for entry in stored.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_an_attachment_over_the_limit_is_refused(client, record, settings):
    settings.OBSERVATORY_ATTACHMENT_MAX_SIZE = 1000
    response = post_lead(client, attachment=SimpleUploadedFile("big.txt", b"x" * 1001))

    assert response.status_code == 400
    assert Lead.objects.count() == 0


def test_an_opendocument_and_plain_text_are_accepted(client, record):
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert (
        post_lead(client, attachment=SimpleUploadedFile("cr.odt", odt.getvalue())).status_code
        == 302
    )
    text = "Délibération n° 12 du conseil municipal".encode()
    assert post_lead(client, attachment=SimpleUploadedFile("notes.txt", text)).status_code == 302
    assert sorted(Lead.objects.values_list("attachment_type", flat=True)) == [
        "application/vnd.oasis.opendocument.text", "text/plain",
    ]  # fmt: skip


def test_missing_fields_are_reported_and_the_sender_is_limited(client, record):
    empty = client.post(reverse("observatory:report_lead"), {}, REMOTE_ADDR="203.0.113.10")
    assert empty.status_code == 400
    assert 'aria-invalid="true"' in empty.content.decode()

    statuses = [post_lead(client).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]  # three a minute from one address
    assert Lead.objects.count() == 3


def test_a_lead_is_queued_for_moderators_with_its_document_as_a_download(client, record):
    """Moderators turn it into a claim in the console (console/tests/test_moderation.py)."""
    post_lead(client, url="https://press.example/masséna",
              attachment=SimpleUploadedFile("arrete.pdf", PDF))  # fmt: skip
    lead = Lead.objects.get()
    signed_in(client, User.objects.create_superuser("mod", "m@example.org", "long password 42"))

    queue = client.get(reverse("admin:observatory_lead_changelist")).content.decode()
    document = client.get(reverse("admin:observatory_lead_attachment", args=[lead.pk]))

    assert "Nice" in queue
    assert document["Content-Type"] == "application/octet-stream"
    assert b"".join(document.streaming_content) == PDF


def test_only_the_forms_that_take_documents_accept_a_large_body(client, record):
    big = SimpleUploadedFile("big.pdf", PDF + b"x" * 600_000)

    assert post_lead(client, attachment=big).status_code == 302
    elsewhere = client.post(
        "/droits/reprendre/", {"file": SimpleUploadedFile("a.pdf", PDF + b"x" * 600_000)}
    )
    assert elsewhere.status_code == 413
    too_long = post_lead(client, description="x" * 5001)
    assert too_long.status_code == 400 and Lead.objects.count() == 1


def test_a_lead_set_aside_forgets_its_document_and_its_senders_address(
    client, record, django_capture_on_commit_callbacks
):
    post_lead(client, contact="source@example.org",
              attachment=SimpleUploadedFile("arrete.pdf", PDF))  # fmt: skip
    lead = Lead.objects.get()
    stored = Path(lead.attachment.path)
    assert stored.exists()
    signed_in(client, User.objects.create_superuser("mod", "m@example.org", "long password 42"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:observatory_lead_change", args=[lead.pk]),
            {"place": record.pk, "status": "rejected", "moderator_note": "Hors sujet."},
        )

    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.status, lead.moderator_note, lead.contact) == ("rejected", "Hors sujet.", "")
    assert not lead.attachment and not stored.exists()
    assert lead.attachment_sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_leads_contact_address_is_erased_after_the_retention_period(client, record, settings):
    settings.OBSERVATORY_LEAD_CONTACT_DAYS = 30
    for email in ["old@example.org", "recent@example.org"]:
        post_lead(client, contact=email)
    Lead.objects.filter(pk=Lead.objects.order_by("pk").first().pk).update(
        received_on=date.today() - timedelta(days=31)
    )
    out = io.StringIO()

    call_command("purge_leads", stdout=out)

    assert out.getvalue().strip() == "1 contact addresses erased"
    assert sorted(lead.contact for lead in Lead.objects.all()) == ["", "recent@example.org"]
    assert Lead.objects.count() == 2  # what the leads said stays


def test_a_leads_contact_address_is_stored_encrypted(client, record):
    post_lead(client, contact="source.discrete@example.org")

    lead = Lead.objects.get()
    assert lead.contact == "source.discrete@example.org"
    assert b"source.discrete" not in bytes(lead.contact_sealed)
    assert len(lead.contact_sealed) > len("source.discrete@example.org")
