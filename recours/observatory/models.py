"""The observatory's record: places keyed by INSEE code, and the OpenStreetMap camera
layer, kept apart and read-only (it is ODbL data, refreshed by re-importing an extract)."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recours.core import at_rest
from recours.observatory.names import normalised

LEAD_CONTACT_PURPOSE = "lead-contact"


class PlaceQuerySet(models.QuerySet):
    OUTLINES = ("geometry", "outline_coarse")

    def without_outlines(self, *related: str):
        """Places, and the `related` places joined to them, without their outlines:
        large, read only by imports and the map, never by pages or the API."""
        return self.select_related(*related).defer(
            *self.OUTLINES, *(f"{rel}__{name}" for rel in related for name in self.OUTLINES)
        )


class Place(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        EPCI = "epci", _("intercommunalité")
        DEPARTEMENT = "departement", _("département")
        REGION = "region", _("région")

    kind = models.CharField(max_length=12, choices=Kind)
    # INSEE code, the stable key: "75056" (commune), "75" (département), "11" (région);
    # an intercommunalité's SIREN, "200030195" (Métropole Nice Côte d'Azur).
    # Départements and régions share some codes, so the key is (kind, code).
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, default="")  # see names.py
    population = models.PositiveIntegerField(null=True, blank=True)
    postcodes = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.SET_NULL
    )
    # The intercommunalité (EPCI) a commune belongs to, beside its département.
    epci = models.ForeignKey(
        "self", null=True, blank=True, related_name="member_communes", on_delete=models.SET_NULL
    )
    # A commune merged into a "commune nouvelle": records on its old code show under the
    # new commune.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, related_name="merged", on_delete=models.SET_NULL
    )
    # Simplified outline as GeoJSON geometry, and its bounding box for cheap map queries.
    geometry = models.JSONField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    # The same outline, much simplified and already serialised: the national map sends
    # 35,000 of them in one answer, so it is read as text, never parsed.
    outline_coarse = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    # OpenStreetMap cameras inside the place, kept by each camera import (a count over
    # a million rows is too slow for every map or place page).
    camera_count = models.PositiveIntegerField(default=0)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="one_place_per_code")]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_name = normalised(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("observatory:place", args=[self.kind, self.code])

    def within(self, field: str = "place") -> models.Q:
        """Rows whose `field` is this place or a place inside it: a commune with the
        communes merged into it; an intercommunalité, a département or a région with
        every commune inside it."""
        if self.kind == Place.Kind.COMMUNE:
            return Q(**{field: self}) | Q(**{f"{field}__merged_into": self})
        if self.kind == Place.Kind.EPCI:
            return (
                Q(**{field: self})
                | Q(**{f"{field}__epci": self})
                | Q(**{f"{field}__merged_into__epci": self})
            )
        inside = Q(**{field: self}) | Q(**{f"{field}__parent": self})
        if self.kind == Place.Kind.REGION:
            inside |= Q(**{f"{field}__parent__parent": self})
        return inside

    def communes(self) -> models.QuerySet:
        """The current communes this place covers (a commune covers itself)."""
        current = Place.objects.filter(kind=Place.Kind.COMMUNE, merged_into=None)
        return {
            Place.Kind.COMMUNE: current.filter(pk=self.pk),
            Place.Kind.EPCI: current.filter(epci=self),
            Place.Kind.DEPARTEMENT: current.filter(parent=self),
            Place.Kind.REGION: current.filter(parent__parent=self),
        }[self.kind]

    @property
    def cameras_per_1000(self) -> float | None:
        if not self.population:
            return None
        return self.camera_count * 1000 / self.population


class OsmCamera(models.Model):
    """One `man_made=surveillance` node of OpenStreetMap, as the last import found it."""

    osm_type = models.CharField(max_length=8, default="node")
    osm_id = models.BigIntegerField()
    lon = models.FloatField()
    lat = models.FloatField()
    tags = models.JSONField()
    # Indexed by Meta.indexes, like every secondary index here: a first import builds
    # them after its rows are in (cameras.py).
    commune = models.ForeignKey(
        Place, null=True, blank=True, related_name="osm_cameras", on_delete=models.SET_NULL,
        db_index=False,
    )  # fmt: skip
    # Normalised from the tags (see osm_tags.py), for filters and the map.
    surveillance_type = models.CharField(max_length=30, blank=True)
    camera_type = models.CharField(max_length=30, blank=True)
    zone = models.CharField(max_length=30, blank=True)
    directions = models.JSONField(default=list)  # degrees, or [from, to] ranges
    operator = models.CharField(max_length=200, blank=True)
    # SHA-256 over position, tags and commune: a re-import compares this, not the tags.
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["osm_type", "osm_id"], name="one_row_per_osm_element")
        ]
        indexes = [models.Index(fields=["lon", "lat"]), models.Index(fields=["commune"])]

    def __str__(self):
        return f"{self.osm_type}/{self.osm_id}"


class ImportRun(models.Model):
    """What an import did, for the public "last updated" and for the organisers."""

    kind = models.CharField(max_length=30)
    source_name = models.CharField(max_length=300)
    source_sha256 = models.CharField(max_length=64)
    finished_at = models.DateTimeField(auto_now_add=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    # What the imported data describes, when it is not today: an OpenStreetMap extract
    # of April 2011 says how the map looked then, and is shown with that date.
    data_date = models.DateField(_("date des données"), null=True, blank=True)
    licence = models.CharField(_("licence et attribution"), max_length=300, blank=True)

    def __str__(self):
        return f"{self.kind} {self.finished_at:%Y-%m-%d}"


class Vendor(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("observatory:vendor", args=[self.pk])


class ClaimQuerySet(models.QuerySet):
    def for_display(self):
        """With what a claim's card shows: place, vendor, sources, history, and whether
        an official inventory lists its locations (a query per card otherwise)."""
        return (
            self.select_related("place", "vendor")
            .prefetch_related("evidence", "changes")
            .annotate(listed=models.Exists(InventoryEntry.objects.filter(claim=OuterRef("pk"))))
        )


class Claim(models.Model):
    """One deployment at one place, as far as its evidence shows."""

    class Technology(models.TextChoices):
        CCTV = "cctv", _("vidéosurveillance")
        VSA = "vsa", _("vidéosurveillance algorithmique")
        FACIAL_RECOGNITION = "facial_recognition", _("reconnaissance faciale")
        DRONE = "drone", _("drone")
        PLATE_READER = "plate_reader", _("lecture automatisée de plaques")
        SOUND_DETECTION = "sound_detection", _("détection sonore")
        POLICE_FILE = "police_file", _("fichier de police")
        DATA_PLATFORM = "data_platform", _("plateforme de données")
        OTHER = "other", _("autre")

    class Operator(models.TextChoices):
        MUNICIPAL_POLICE = "municipal_police", _("police municipale")
        NATIONAL_POLICE = "national_police", _("police nationale")
        GENDARMERIE = "gendarmerie", _("gendarmerie")
        PREFECTURE = "prefecture", _("préfecture")
        TRANSPORT = "transport", _("opérateur de transport")
        PRIVATE = "private", _("acteur privé")
        UNKNOWN = "", _("inconnu")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("annoncé")
        TRIAL = "trial", _("expérimentation")
        IN_SERVICE = "in_service", _("en service")
        SUSPENDED = "suspended", _("suspendu")
        ENDED = "ended", _("arrêté")
        STRUCK_DOWN = "struck_down", _("annulé par un tribunal")

    class Confidence(models.TextChoices):
        RUMOUR = "rumour", _("rumeur")
        PRESS = "press", _("presse")
        OFFICIAL = "official", _("document officiel")
        DOCUMENT_REQUEST = "document_request", _("obtenu par demande de document")
        COURT = "court", _("confirmé par un tribunal")

    place = models.ForeignKey(Place, related_name="claims", on_delete=models.PROTECT)
    technology = models.CharField(max_length=20, choices=Technology)
    vendor = models.ForeignKey(
        Vendor, null=True, blank=True, related_name="claims", on_delete=models.PROTECT
    )
    operator = models.CharField(max_length=20, choices=Operator, blank=True)
    status = models.CharField(max_length=12, choices=Status)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    confidence = models.CharField(max_length=20, choices=Confidence)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    def __str__(self):
        return f"{self.get_technology_display()} · {self.place}"

    def clean(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("La fin précède le début.")})


class ClaimChange(models.Model):
    """The history of a claim: what changed, when, and on whose word."""

    # What the public history calls each change (the labels of the claim's card).
    LABELS = {
        "created": _("Création"),
        "evidence": _("Source ajoutée"),
        "technology": _("Technologie"),
        "vendor": _("Fournisseur"),
        "operator": _("Exploitant"),
        "status": _("Statut"),
        "started_on": _("Depuis"),
        "ended_on": _("Jusqu'au"),
        "quantity": _("Quantité"),
        "confidence": _("Fiabilité"),
        "summary": _("Résumé"),
        "place": _("Lieu"),
    }

    claim = models.ForeignKey(Claim, related_name="changes", on_delete=models.CASCADE)
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField()  # {"field": [old, new], ...}
    by = models.CharField(max_length=200)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.claim_id} {self.changed_at:%Y-%m-%d}"

    def public_lines(self) -> list[tuple[str, str, str]]:
        """(what, before, after) for the public history; never who made the change
        (moderators may not wish to be named) nor which lead it came from."""
        lines = []
        for name, (before, after) in self.changes.items():
            if name == "created":
                lines.append((self.LABELS[name], "", ""))
            elif name == "evidence":
                lines.append((self.LABELS[name], "", str(after)))
            elif name in self.LABELS:
                lines.append((self.LABELS[name], _label(name, before), _label(name, after)))
        return lines


class Evidence(models.Model):
    class Kind(models.TextChoices):
        WEB_PAGE = "web_page", _("page web")
        DOCUMENT = "document", _("document")
        DOCUMENT_REQUEST = "document_request", _("demande de document")
        COURT_DECISION = "court_decision", _("décision de justice")

    claim = models.ForeignKey(Claim, related_name="evidence", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    # An uploaded copy, kept because pages disappear; its SHA-256 proves it unaltered.
    copy = models.FileField(upload_to="observatory/evidence/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self):
        return self.title or self.url


class Funding(models.Model):
    class Programme(models.TextChoices):
        FIPD = "fipd", _("FIPD")
        DETR_DSIL = "detr_dsil", _("DETR/DSIL")
        REGION = "region", _("région")
        EU = "eu", _("Union européenne")
        OTHER = "other", _("autre")

    place = models.ForeignKey(Place, related_name="funding", on_delete=models.PROTECT)
    programme = models.CharField(max_length=12, choices=Programme)
    year = models.PositiveSmallIntegerField()
    amount_eur = models.DecimalField(max_digits=14, decimal_places=2)
    purpose = models.TextField(blank=True)
    evidence_url = models.URLField(max_length=1000, blank=True)

    def __str__(self):
        return f"{self.get_programme_display()} {self.year} · {self.place}"


def private_upload(instance, filename: str) -> str:
    """Uploads are stored under a random name: the name a person gave a file can say who
    they are."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"observatory/{instance._meta.model_name}/{secrets.token_hex(16)}{suffix}"


class Lead(models.Model):
    """A lead reported by anyone, anonymously if they wish. No address of the sender is
    stored, not even their IP; a moderator turns it into a claim or sets it aside."""

    class Status(models.TextChoices):
        NEW = "new", _("à examiner")
        ACCEPTED = "accepted", _("retenue")
        REJECTED = "rejected", _("écartée")

    place_text = models.CharField(_("commune ou lieu"), max_length=200)
    place = models.ForeignKey(
        Place, null=True, blank=True, related_name="leads", on_delete=models.SET_NULL
    )
    technology = models.CharField(
        _("technologie"), max_length=20, choices=Claim.Technology, blank=True
    )
    description = models.TextField(_("ce que vous savez"))
    url = models.URLField(_("adresse d'une source"), max_length=1000, blank=True)
    attachment = models.FileField(upload_to=private_upload, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    # The sender's address, if they left one, encrypted at rest with DATA_KEY (the
    # database never holds it): read through `contact`.
    contact_sealed = models.BinaryField(blank=True, default=b"")
    # The day only: the hour of a report could tie it to someone's movements.
    received_on = models.DateField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, related_name="leads", on_delete=models.SET_NULL
    )
    moderator_note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "received_on"])]

    def __str__(self):
        return f"{self.place_text} · {self.received_on}"

    @property
    def contact(self) -> str:
        return at_rest.decrypt_text(self.contact_sealed, purpose=LEAD_CONTACT_PURPOSE)

    @contact.setter
    def contact(self, address: str) -> None:
        self.contact_sealed = at_rest.encrypt_text(address, purpose=LEAD_CONTACT_PURPOSE)


class DocumentRequest(models.Model):
    """A request for administrative documents (CRPA, book III) sent to a commune, and what
    became of it. Its deadlines follow the CADA's procedure (see cada.py)."""

    class Status(models.TextChoices):
        SENT = "sent", _("envoyée")
        ANSWERED = "answered", _("réponse reçue")
        REFUSED = "refused", _("refus")
        REFERRED = "referred", _("saisine de la CADA")
        OPINION = "opinion", _("avis de la CADA rendu")

    class Opinion(models.TextChoices):
        FAVOURABLE = "favourable", _("favorable")
        UNFAVOURABLE = "unfavourable", _("défavorable")
        MOOT = "moot", _("sans objet")
        INADMISSIBLE = "inadmissible", _("irrecevable")

    place = models.ForeignKey(Place, related_name="document_requests", on_delete=models.PROTECT)
    documents = models.JSONField(default=list)  # keys of cada.DOCUMENTS
    requested_by = models.CharField(_("demandeur (public)"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.SENT)
    sent_on = models.DateField(_("envoyée le"))
    answered_on = models.DateField(_("réponse le"), null=True, blank=True)
    refused_on = models.DateField(_("refus explicite le"), null=True, blank=True)
    referred_on = models.DateField(_("CADA saisie le"), null=True, blank=True)
    cada_number = models.CharField(_("numéro de dossier CADA"), max_length=40, blank=True)
    opinion_on = models.DateField(_("avis rendu le"), null=True, blank=True)
    opinion = models.CharField(max_length=14, choices=Opinion, blank=True)
    answer = models.FileField(upload_to=private_upload, blank=True)
    answer_sha256 = models.CharField(max_length=64, blank=True)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, related_name="document_requests", on_delete=models.SET_NULL
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.place} · {self.sent_on}"


class InventoryEntry(models.Model):
    """One camera location of an official inventory (an authorisation published by a
    préfecture, say), under the claim that cites it."""

    class Precision(models.TextChoices):
        CROSSING = "crossing", _("croisement")
        DESCRIBED = "described", _("point décrit")
        OTHER = "other", _("autre")

    claim = models.ForeignKey(Claim, related_name="inventory", on_delete=models.CASCADE)
    reference = models.CharField(max_length=40)  # the camera's number in the document
    location_text = models.CharField(max_length=500)
    postcode = models.CharField(max_length=10, blank=True)
    precision = models.CharField(max_length=10, choices=Precision)
    commissioned_on = models.DateField(null=True, blank=True)
    commissioned_text = models.CharField(max_length=40, blank=True)  # as the document says
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "reference"], name="one_entry_per_reference")
        ]

    def __str__(self):
        return f"{self.reference} {self.location_text}"


class ApiToken(models.Model):
    """A moderator's key for the API's writes. Only its SHA-256 is stored: the token is
    shown once, when created (manage.py create_api_token)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="api_tokens",
                             on_delete=models.CASCADE)  # fmt: skip
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"{self.user} · {self.name}"


def _label(field: str, value) -> str:
    """A stored value as the public reads it: a choice by its label."""
    choices = dict(Claim._meta.get_field(field).flatchoices) if field != "vendor" else {}
    return str(choices.get(value, value or ""))
