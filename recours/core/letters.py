"""A letter to an authority, and the letter as PDF (through the one renderer), plain text
and OpenDocument text. Letters are built by the parts that write them (rights, the
observatory's document requests)."""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from django.http import HttpResponse

from recours.core.deadlines import Deadline, calendar_file
from recours.core.pdf import render_pdf

TEMPLATE = Path(__file__).resolve().parent / "typst" / "letter.typ"


@dataclass
class Letter:
    kind: str
    title: str
    sender: list[str]
    addressee: str
    place_date: str
    subject: str
    paragraphs: list[str]
    attachments: list[str]
    postage: str
    signature: str
    deadlines: list[Deadline] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    articles: list = field(default_factory=list)

    @property
    def sender_text(self) -> str:
        return "\n".join(self.sender)

    def as_text(self) -> str:
        parts = [
            "\n".join(self.sender),
            self.addressee,
            self.place_date,
            f"Objet : {self.subject}",
            f"Envoi : {self.postage}",
            *self.paragraphs,
            self.signature,
        ]
        if self.attachments:  # no empty heading when nothing is enclosed
            parts.append("Pièces jointes :\n" + "\n".join(f"- {item}" for item in self.attachments))
        return "\n\n".join(parts) + "\n"


def letter_pdf(letter: Letter) -> bytes:
    return render_pdf(
        TEMPLATE,
        {
            "title": letter.subject,
            "lang": "fr",
            "sender": letter.sender,
            "addressee": letter.addressee.splitlines(),
            "place_date": letter.place_date,
            "subject": letter.subject,
            "postage": letter.postage,
            "paragraphs": letter.paragraphs,
            "signature": letter.signature.splitlines(),
            "attachments": letter.attachments,
        },
    )


def letter_text(letter: Letter) -> str:
    return letter.as_text()


ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {ODT_NS} office:version="1.2">
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.3cm"/>
   <style:text-properties fo:language="fr" fo:country="FR" fo:font-size="11pt"/>
  </style:default-style>
  <style:style style:name="Right" style:family="paragraph">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Subject" style:family="paragraph">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
 </office:styles>
</office:document-styles>"""


def _paragraph(text: str, style: str = "") -> str:
    lines = "<text:line-break/>".join(escape(line) for line in text.splitlines())
    attribute = f' text:style-name="{style}"' if style else ""
    return f"<text:p{attribute}>{lines}</text:p>"


def letter_odt(letter: Letter) -> bytes:
    """A minimal, valid OpenDocument text that LibreOffice and Word open and edit."""
    body = "".join(
        [
            _paragraph("\n".join(letter.sender)),
            _paragraph(letter.addressee, "Right"),
            _paragraph(letter.place_date, "Right"),
            _paragraph(f"Objet : {letter.subject}", "Subject"),
            _paragraph(f"Envoi : {letter.postage}"),
            *(_paragraph(paragraph) for paragraph in letter.paragraphs),
            _paragraph(letter.signature, "Right"),
            *(
                [_paragraph("Pièces jointes :\n" + "\n".join(f"– {a}" for a in letter.attachments))]
                if letter.attachments
                else []
            ),
        ]
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS} '
        f'office:version="1.2"><office:body><office:text>{body}</office:text></office:body>'
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype entry comes first and uncompressed, as the format requires.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", ODT_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", ODT_STYLES, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# The forms a person can take a letter away in: the action's name is the extension.
DOWNLOADS = {
    "pdf": ("application/pdf", letter_pdf),
    "odt": ("application/vnd.oasis.opendocument.text", letter_odt),
    "txt": ("text/plain; charset=utf-8", lambda letter: letter_text(letter).encode()),
    "ics": (
        "text/calendar; charset=utf-8",
        lambda letter: calendar_file(letter.deadlines).encode(),
    ),
}


def download_response(letter: Letter, action: str, stem: str) -> HttpResponse:
    """The letter as a file named `stem.<action>`. Never kept by a cache on the way: it
    carries the sender's name and address."""
    content_type, write = DOWNLOADS[action]
    response = HttpResponse(write(letter), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{action}"'
    response["Cache-Control"] = "no-store"
    return response
