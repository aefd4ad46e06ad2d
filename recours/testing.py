"""Helpers for the test suites and benchmarks of every part (not used by the product).

It lives beside the parts, not in `core`, because it builds campaigns and sign forms."""

import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import altcha
from django.test import Client
from django.utils import timezone

from recours.campaigns.domain import publish_text_versions, published_texts
from recours.campaigns.models import Campaign, Ground, Source
from recours.core.models import OutboxEmail
from recours.mandates.forms import form_clock
from recours.mandates.intake import record_batch
from recours.mandates.pow import new_challenge


class WorkerClient(Client):
    """The test client, with the worker's turn at recording received signatures after
    each POST, as the running worker does within a second or two (mandates/intake.py):
    a test reads the mandate and its mail right after signing. Tests of the intake
    itself use a plain Client and run the worker when they choose."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        record_received_signatures()
        return response


def record_received_signatures() -> int:
    return record_batch(1000)


def old_clock(seconds_ago: float = 30, key: str | None = None) -> str:
    return form_clock(at=time.time() - seconds_ago, key=key)


def solved_pow() -> str:
    """The payload a browser's proof-of-work widget sends, solved here in Python."""
    challenge = altcha.Challenge.from_dict(new_challenge())
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


@dataclass(frozen=True)
class QueuedMail:
    """An outbox row as the tests read it: its content decrypted (with the test key)."""

    row: OutboxEmail
    pk: int
    template: str
    to: str
    subject: str
    body_text: str
    body_html: str
    reply_to: str


def queued_mails(template=None) -> list[QueuedMail]:
    rows = OutboxEmail.objects.filter(status=OutboxEmail.Status.QUEUED).order_by("pk")
    rows = rows.filter(template=template) if template else rows
    return [
        QueuedMail(row=row, pk=row.pk, template=row.template, **row.content.__dict__)
        for row in rows
    ]


def confirm_a_signer(campaign, number: int) -> None:
    """One more confirmed mandate, signed and confirmed the way a signer does."""
    from recours.mandates import domain
    from recours.mandates.identity import SignerIdentity

    domain.sign_mandate(
        campaign=campaign,
        identity=SignerIdentity("Ana", f"Signataire{number}", f"signer{number}@example.org", ""),
        texts=published_texts(campaign),
        language="fr",
    )
    token = link_from(queued_mails()[-1].body_text, "/confirmer/").split("/")[-2]
    domain.confirm_mandate(token=token)


def sign_up(campaign, prefix: str, count: int) -> None:
    """`count` pending mandates, signed the way the sign form does, from the addresses
    <prefix><n>@example.org."""
    from recours.mandates import domain
    from recours.mandates.identity import SignerIdentity

    texts = published_texts(campaign)
    for number in range(count):
        domain.sign_mandate(
            campaign=campaign,
            identity=SignerIdentity("Ana", "Martin", f"{prefix}{number}@example.org"),
            texts=texts,
            language="fr",
        )


def link_from(body: str, marker: str) -> str:
    """The path of the first link in a mail body that contains `marker`."""
    for word in body.split():
        if marker in word:
            return word[word.index("/", len("http://")) :]
    raise AssertionError(f"no link with {marker!r} in the mail")


def make_campaign(organisation, public_key, **overrides):
    now = timezone.now()
    fields = {
        "slug": "plainte-test",
        "status": Campaign.Status.OPEN,
        "title": "Plainte contre la surveillance",
        "summary": "Un résumé.",
        "body": "Le texte de la **plainte**.",
        "mandate_text": "Je donne mandat.",
        "organisation": organisation,
        "authority": "CNIL",
        "respondent": "Ministère de l'Intérieur",
        "legal_basis": "RGPD art. 80",
        "goal": 100,
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=4, hours=2),
        "asks_postal_address": True,
        "public_key": public_key,
    } | overrides
    campaign = Campaign.objects.create(**fields)
    ground = Ground.objects.create(campaign=campaign, title="Les caméras", text="Un million.")
    Source.objects.create(
        ground=ground,
        title="Rapport",
        publisher="Cour des comptes",
        url="https://www.ccomptes.fr/fr/publications/les-polices-municipales",
    )
    publish_text_versions(campaign=campaign)
    return campaign


# A name in each script the sign form takes, as a signer would type it. The hidden checks
# use others: keep this list varied rather than long.
NAMES_IN_EVERY_SCRIPT = {
    "latin": ("Łucja Żółć-Ñúñez", "Ørsted-Dvořák"),
    "greek": ("Αλέξανδρος", "Παπαδόπουλος"),
    "cyrillic": ("Ксения", "Щербакова"),
    "arabic": ("فاطمة", "الزهراء"),
    "hebrew": ("שרה", "לוי"),
    "devanagari": ("अनुराधा", "देसाई"),
    "chinese": ("小明", "王"),
    "japanese": ("さくら", "山田"),
    "korean": ("민준", "김"),
    "vietnamese": ("Thị Phương Thảo", "Nguyễn"),
}


def readable(text: str) -> str:
    """Text as pypdf extracts it, without what its layout adds: spaces between table
    cells, and the raw code it prints for a glyph that carries no text of its own (a
    Devanagari vowel sign drawn as a separate glyph: its text is on the cluster's first)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cc")


def name_words(given: str, surname: str) -> list[str]:
    """Each word on its own: pypdf returns right-to-left words (Arabic, Hebrew) in the
    order they are drawn, left to right."""
    return [readable(word) for word in f"{given} {surname.upper()}".split()]


def pdf_missing_glyphs(source) -> int:
    """How many glyphs a PDF draws as .notdef (the empty box of a font that lacks the
    character): Typst writes text as two-byte glyph ids of Type0 fonts, and id 0 is
    .notdef in every font."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(source)
    missing = 0
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        content = ContentStream(page.get_contents(), reader)
        current = None
        for operands, operator in content.operations:
            if operator == b"Tf":
                current = fonts[operands[0]].get_object()
            elif operator in (b"Tj", b"TJ") and current and current["/Subtype"] == "/Type0":
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                for item in strings:
                    if isinstance(item, (bytes, str)):
                        data = getattr(item, "original_bytes", item)
                        ids = [
                            int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)
                        ]
                        missing += ids.count(0)
    return missing


def signed_in(client, user):
    """`client` signed in as `user` with their second factor checked, as the console's
    sign-in leaves a session (console/views/signin.py); the admin asks the same."""
    from recours.console.access import VERIFIED

    client.force_login(user)
    session = client.session
    session[VERIFIED] = True
    session.save()
    return client
