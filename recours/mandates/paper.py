"""Paper mandates: the form a person prints, signs and posts, and its entry by an organiser.

A paper mandate is sealed, evidenced, logged and counted like one given online; what
differs is how the signer was verified: the organisation holds the signed form, whose scan
is sealed to the campaign key beside the identity, and the identity names the scan by its
SHA-256, so that neither can be swapped without breaking the evidence. A form with an
e-mail address is deduplicated against every mandate as a signature would be, and its
signer receives the link to withdraw; one without cannot be deduplicated here, so the
dossier flags likely duplicates for the organisers to review offline (dossier/build.py).
"""

import base64
import io
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import segno
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from recours.campaigns import tallies
from recours.campaigns.models import Campaign, TextVersion
from recours.campaigns.sharing import campaign_url
from recours.core.crypto import key_id, keyed_hash, new_token, seal, sha256_hex
from recours.core.mail import queue_email
from recours.core.pdf import markdown_blocks, render_pdf
from recours.mandates import transparency
from recours.mandates.domain import (
    ACTIVE,
    Purpose,
    Status,
    active_mandate,
    email_hash_for,
    evidence_digest,
    issue_token,
    manage_url,
)
from recours.mandates.identity import SignerIdentity
from recours.mandates.models import Mandate

METHOD = "paper"
TEMPLATE = Path(__file__).resolve().parent / "typst" / "mandat-papier.typ"
FORM_CACHE_SECONDS = 24 * 3600
SCAN_MAX_PAGES = 10
SCAN_MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million
# Statuses in which forms may still arrive by post: signed before the closing, entered
# before the filing.
ENTRY_STATUSES = [Campaign.Status.OPEN, Campaign.Status.CLOSED]


class PaperError(ValueError):
    """Why a paper mandate cannot be entered, in words for the organiser."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PaperTexts:
    """The pair of texts a printed form carried, as they were in force together."""

    complaint: TextVersion
    mandate: TextVersion

    @property
    def code(self) -> str:
        """The short reference printed on the form, e.g. "P2-M1"."""
        return f"P{self.complaint.number}-M{self.mandate.number}"

    @property
    def published_on(self) -> date:
        moment = max(self.complaint.published_at, self.mandate.published_at)
        return timezone.localdate(moment)


def texts_in_force(campaign: Campaign) -> list[PaperTexts]:
    """Every pair of complaint and mandate versions that was in force at some moment,
    newest first: the forms printed at that moment carry it."""
    versions = sorted(
        TextVersion.objects.filter(campaign=campaign), key=lambda v: (v.published_at, v.pk)
    )
    latest: dict[str, TextVersion] = {}
    pairs: list[PaperTexts] = []
    for version in versions:
        latest[version.kind] = version
        if len(latest) == 2:
            pair = PaperTexts(latest[TextVersion.Kind.COMPLAINT], latest[TextVersion.Kind.MANDATE])
            if pairs and pairs[-1].published_on == pair.published_on:
                pairs[-1] = pair  # published together, or the same day: one form
            else:
                pairs.append(pair)
    return pairs[::-1]


def form_pdf(campaign: Campaign, texts: PaperTexts) -> bytes:
    """The printable mandate: the texts in force, with their hashes and short code so
    that the organiser entering it knows which version was signed, lines to fill in by
    hand, the address to post it to, and a QR code to the campaign. In the campaign's
    language, like the text it carries. Cached per version pair."""
    key = f"paper-form:{campaign.pk}:{texts.code}:{texts.mandate.sha256[:16]}"
    pdf = cache.get(key)
    if pdf is None:
        with translation.override(campaign.language):
            pdf = _render_form(campaign, texts)
        cache.set(key, pdf, FORM_CACHE_SECONDS)
    return pdf


def _render_form(campaign: Campaign, texts: PaperTexts) -> bytes:
    organisation = campaign.organisation
    url = campaign_url(campaign, "paper")
    qr = io.BytesIO()
    segno.make(url, error="q").save(qr, kind="svg", scale=4, border=2, nl=False)
    deadline = date_format(timezone.localtime(campaign.closes_at), "DATE_FORMAT")
    data = {
        "title": texts.complaint.content["title"],
        "heading": _("Mandat de représentation"),
        "organisation": organisation.name,
        "lang": campaign.language,
        "code": texts.code,
        "url": settings.SITE_URL + campaign.get_absolute_url(),
        "steps": [
            _("Lisez le mandat ci-dessous, puis remplissez ce formulaire en lettres capitales."),
            _("Datez et signez à la main ; gardez-en une copie si vous le souhaitez."),
            _("Envoyez-le avant le %(date)s à l'adresse ci-dessous (sous enveloppe timbrée).")
            % {"date": deadline},
            _("L'organisation le saisit à réception : il est alors compté avec les autres."),
        ],
        "address": [organisation.name, *organisation.registered_office.splitlines()],
        "mandate": markdown_blocks(texts.mandate.content["text"]),
        "complaint_sha256": texts.complaint.sha256,
        "mandate_sha256": texts.mandate.sha256,
        "privacy": _(
            "Vos nom, adresse et e-mail servent uniquement à cette plainte. Ils sont scellés "
            "avec le scan de ce formulaire par une clé que seule l'organisation détient hors "
            "ligne, et supprimés à la fin de la procédure. Vous pouvez retirer votre mandat "
            "à tout moment en écrivant à %(email)s. Notice complète : %(url)s"
        )
        % {
            "email": organisation.contact_email,
            "url": settings.SITE_URL + reverse("campaigns:privacy", args=[campaign.slug]),
        },
        "labels": {
            "how": _("Comment signer sur papier"),
            "send_to": _("Adresse d'envoi :"),
            "mandate": _("Le mandat"),
            "identity": _("Vous, mandant"),
            "surname": _("Nom"),
            "given_names": _("Prénoms"),
            "address": _("Adresse postale"),
            "address_note": _("avec le code postal")
            if campaign.asks_postal_address
            else _("facultative, elle évite de vous compter deux fois"),
            "email": _("Adresse e-mail"),
            "email_note": _("facultative : pour recevoir le lien qui permet de retirer le mandat"),
            "place_date": _("Fait à, le :"),
            "signature": _("Signature :"),
            "version": _("Version des textes :"),
            "complaint_hash": _("Empreinte SHA-256 de la plainte :"),
            "mandate_hash": _("Empreinte SHA-256 du mandat :"),
            "page": _("page"),
            "qr_alt": _("Code QR menant à la page de la campagne"),
        },
    }
    return render_pdf(TEMPLATE, data, files={"qr.svg": qr.getvalue()})


def check_scan(content: bytes) -> str:
    """The media type of a scanned form, told by its content; raises PaperError for a file
    too large, of another type, unreadable, or a decompression bomb."""
    limit = settings.PAPER_SCAN_MAX_SIZE
    if len(content) > limit:
        raise PaperError(_("Ce scan dépasse %(mb)s Mo.") % {"mb": limit // (1024 * 1024)}, "scan")
    unreadable = PaperError(
        _("Ce fichier n'est pas un scan lisible : envoyez un PDF, un PNG ou un JPEG."), "scan"
    )
    too_many_pixels = PaperError(_("Ce scan a trop de pixels (60 millions au plus)."), "scan")
    if content.startswith(b"%PDF-"):
        try:
            reader = PdfReader(io.BytesIO(content))
            encrypted = reader.is_encrypted
            pages = 0 if encrypted else len(reader.pages)
        except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
            raise unreadable from None
        if encrypted:
            raise PaperError(_("Ce PDF est protégé par un mot de passe."), "scan")
        if not 1 <= pages <= SCAN_MAX_PAGES:
            raise PaperError(
                _("Un scan compte de 1 à %(n)s pages.") % {"n": SCAN_MAX_PAGES}, "scan"
            )
        return "application/pdf"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            kind = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(image.format)
            if kind is None:
                raise unreadable
            if image.width * image.height > SCAN_MAX_PIXELS:
                raise too_many_pixels
            image.load()
    except PaperError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise unreadable from None
    return kind


def record_paper_mandate(
    *,
    campaign: Campaign,
    identity: SignerIdentity,
    texts: PaperTexts,
    signed_on: date,
    scan: bytes,
    language: str,
) -> Mandate:
    """Enters a signed paper form: a confirmed mandate, its identity and scan sealed to the
    campaign key, method "paper" in the evidence, counted and logged in one transaction.
    Raises PaperError, and stores nothing, if the campaign no longer takes forms, the date
    does not fit, the scan is not one, or the e-mail already has a mandate."""
    if campaign.status not in ENTRY_STATUSES or not campaign.public_key:
        raise PaperError(_("Cette campagne ne reçoit plus de mandats."))
    if texts.complaint.campaign_id != campaign.pk or texts.mandate.campaign_id != campaign.pk:
        raise PaperError(_("Ce texte n'est pas celui de cette campagne."), "texts")
    _check_date(campaign, texts, signed_on)
    scan_type = check_scan(scan)
    now = timezone.now()
    # Noon of the day written, in UTC as every stored time is read back: the evidence
    # covers its text.
    signed_at = timezone.make_aware(datetime.combine(signed_on, time(12))).astimezone(UTC)
    scan_sha256 = sha256_hex(scan)
    public_key = campaign.public_key
    sealed = seal(
        public_key,
        {
            **identity.sealed_payload(),
            "campaign": campaign.slug,
            "complaint_sha256": texts.complaint.sha256,
            "mandate_sha256": texts.mandate.sha256,
            "signed_at": signed_at.isoformat(),
            "signed_on": signed_on.isoformat(),
            "method": METHOD,
            "scan_sha256": scan_sha256,
            "scan_type": scan_type,
        },
    )
    sealed_scan = seal(
        public_key,
        {"sha256": scan_sha256, "type": scan_type, "base64": base64.b64encode(scan).decode()},
    )
    if identity.email:
        email_hash = email_hash_for(campaign, identity.email)
    else:
        # Unique, and linked to nothing: such a form is deduplicated offline.
        email_hash = keyed_hash("mandate-paper", str(campaign.pk), new_token()[0])
    mandate = Mandate(
        campaign=campaign,
        email_hash=email_hash,
        sealed_identity=sealed,
        sealed_scan=sealed_scan,
        sealed_key_id=key_id(public_key),
        complaint_version=texts.complaint,
        mandate_version=texts.mandate,
        language=language,
        signed_at=signed_at,
        status=Status.CONFIRMED,
        confirmed_at=now,
        confirmation_method=METHOD,
        confirmed_sealed_sha256=sha256_hex(sealed),
    )
    mandate.evidence_sha256 = evidence_digest(mandate)
    transparency.commit_to(mandate)
    try:
        with transaction.atomic():
            if identity.email and active_mandate(campaign, email_hash) is not None:
                raise PaperError(
                    _("Cette adresse e-mail a déjà un mandat en cours pour cette campagne."),
                    "email",
                )
            mandate.save(force_insert=True)
            transparency.forget_published(campaign.pk)  # before the campaign's row is locked
            Campaign.objects.filter(pk=campaign.pk).update(confirmed_count=F("confirmed_count") + 1)
            transparency.log_confirmation(mandate, head_forgotten=True)
            tallies.add(
                campaign.pk,
                tallies.Metric.SIGNUP,
                tallies.Metric.CONFIRMED,
                tallies.Metric.PAPER,
                at=now,
            )
            if identity.email:
                _queue_receipt(mandate, identity)
    except IntegrityError:  # the same address signed online meanwhile
        raise PaperError(
            _("Cette adresse e-mail a déjà un mandat en cours pour cette campagne."), "email"
        ) from None
    return mandate


def _check_date(campaign: Campaign, texts: PaperTexts, signed_on: date) -> None:
    first = texts.published_on
    last = min(timezone.localdate(), timezone.localdate(campaign.closes_at))
    if not first <= signed_on <= last:
        raise PaperError(
            _("La date de signature doit être entre le %(first)s et le %(last)s.")
            % {"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
            "signed_on",
        )


def _queue_receipt(mandate: Mandate, identity: SignerIdentity) -> None:
    """The signer who wrote an e-mail address receives the link to see or withdraw their
    mandate, as an online signer does; the address is wiped once the mail leaves."""
    token = issue_token(mandate, Purpose.MANAGE)
    queue_email(
        to=identity.email,
        template="paper-recorded",
        context={"campaign": mandate.campaign, "manage_url": manage_url(mandate.campaign, token)},
        language=mandate.language,
        about=f"mandate:{mandate.pk}",
    )


def paper_count(campaign: Campaign) -> int:
    return Mandate.objects.filter(
        campaign=campaign, confirmation_method=METHOD, status__in=ACTIVE
    ).count()
