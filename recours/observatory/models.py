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

    kind = models.CharField(max_length=12, choices=Kind, verbose_name=_("type"))
    # INSEE code, the stable key: "75056" (commune), "75" (département), "11" (région);
    # an intercommunalité's SIREN, "200030195" (Métropole Nice Côte d'Azur).
    # Départements and régions share some codes, so the key is (kind, code).
    code = models.CharField(max_length=12, verbose_name=_("code"))
    name = models.CharField(max_length=200, verbose_name=_("nom"))
    search_name = models.CharField(
        max_length=200, db_index=True, default="", verbose_name=_("nom de recherche")
    )  # see names.py
    population = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("habitants"))
    postcodes = models.CharField(max_length=200, blank=True, verbose_name=_("codes postaux"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.SET_NULL,
        verbose_name=_("lieu parent"),
    )
    # The intercommunalité (EPCI) a commune belongs to, beside its département.
    epci = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="member_communes",
        on_delete=models.SET_NULL,
        verbose_name=_("intercommunalité"),
    )
    # A commune merged into a "commune nouvelle": records on its old code show under the
    # new commune.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="merged",
        on_delete=models.SET_NULL,
        verbose_name=_("fusionnée dans"),
    )
    # Simplified outline as GeoJSON geometry, and its bounding box for cheap map queries.
    geometry = models.JSONField(null=True, blank=True, verbose_name=_("contour"))
    min_lon = models.FloatField(null=True, blank=True, verbose_name=_("longitude minimale"))
    min_lat = models.FloatField(null=True, blank=True, verbose_name=_("latitude minimale"))
    max_lon = models.FloatField(null=True, blank=True, verbose_name=_("longitude maximale"))
    max_lat = models.FloatField(null=True, blank=True, verbose_name=_("latitude maximale"))
    # The same outline, much simplified and already serialised: the national map sends
    # 35,000 of them in one answer, so it is read as text, never parsed.
    outline_coarse = models.TextField(blank=True, verbose_name=_("contour simplifié"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("source"))
    # OpenStreetMap cameras inside the place, kept by each camera import (a count over
    # a million rows is too slow for every map or place page).
    camera_count = models.PositiveIntegerField(default=0, verbose_name=_("caméras cartographiées"))

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
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

    osm_type = models.CharField(max_length=8, default="node", verbose_name=_("type OpenStreetMap"))
    osm_id = models.BigIntegerField(verbose_name=_("identifiant OpenStreetMap"))
    lon = models.FloatField(verbose_name=_("longitude"))
    lat = models.FloatField(verbose_name=_("latitude"))
    tags = models.JSONField(verbose_name=_("attributs OpenStreetMap"))
    # Indexed by Meta.indexes, like every secondary index here: a first import builds
    # them after its rows are in (cameras.py).
    commune = models.ForeignKey(
        Place, null=True, blank=True, related_name="osm_cameras", on_delete=models.SET_NULL,
        db_index=False,verbose_name=_("commune")
    )  # fmt: skip
    # Normalised from the tags (see osm_tags.py), for filters and the map.
    surveillance_type = models.CharField(
        max_length=30, blank=True, verbose_name=_("type de surveillance")
    )
    camera_type = models.CharField(max_length=30, blank=True, verbose_name=_("type de caméra"))
    zone = models.CharField(max_length=30, blank=True, verbose_name=_("zone"))
    directions = models.JSONField(
        default=list, verbose_name=_("directions")
    )  # degrees, or [from, to] ranges
    operator = models.CharField(max_length=200, blank=True, verbose_name=_("exploitant"))
    # SHA-256 over position, tags and commune: a re-import compares this, not the tags.
    fingerprint = models.CharField(max_length=64, blank=True, verbose_name=_("empreinte"))

    class Meta:
        verbose_name = _("caméra OpenStreetMap")
        verbose_name_plural = _("caméras OpenStreetMap")
        constraints = [
            models.UniqueConstraint(fields=["osm_type", "osm_id"], name="one_row_per_osm_element")
        ]
        indexes = [models.Index(fields=["lon", "lat"]), models.Index(fields=["commune"])]

    def __str__(self):
        return f"{self.osm_type}/{self.osm_id}"


class ImportRun(models.Model):
    """What an import did, for the public "last updated" and for the organisers."""

    kind = models.CharField(max_length=30, verbose_name=_("type"))
    source_name = models.CharField(max_length=300, verbose_name=_("fichier source"))
    source_sha256 = models.CharField(max_length=64, verbose_name=_("empreinte du fichier"))
    finished_at = models.DateTimeField(auto_now_add=True, verbose_name=_("terminé le"))
    added = models.PositiveIntegerField(default=0, verbose_name=_("ajoutés"))
    updated = models.PositiveIntegerField(default=0, verbose_name=_("modifiés"))
    removed = models.PositiveIntegerField(default=0, verbose_name=_("supprimés"))
    unchanged = models.PositiveIntegerField(default=0, verbose_name=_("inchangés"))
    report = models.TextField(blank=True, verbose_name=_("rapport"))
    # What the imported data describes, when it is not today: an OpenStreetMap extract
    # of April 2011 says how the map looked then, and is shown with that date.
    data_date = models.DateField(_("date des données"), null=True, blank=True)
    licence = models.CharField(_("licence et attribution"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.kind} {self.finished_at:%Y-%m-%d}"


class Vendor(models.Model):
    name = models.CharField(max_length=200, unique=True, verbose_name=_("nom"))

    class Meta:
        verbose_name = _("fournisseur")
        verbose_name_plural = _("fournisseurs")

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

    place = models.ForeignKey(
        Place, related_name="claims", on_delete=models.PROTECT, verbose_name=_("lieu")
    )
    technology = models.CharField(max_length=20, choices=Technology, verbose_name=_("technologie"))
    vendor = models.ForeignKey(
        Vendor,
        null=True,
        blank=True,
        related_name="claims",
        on_delete=models.PROTECT,
        verbose_name=_("fournisseur"),
    )
    operator = models.CharField(
        max_length=20, choices=Operator, blank=True, verbose_name=_("exploitant")
    )
    status = models.CharField(max_length=12, choices=Status, verbose_name=_("statut"))
    started_on = models.DateField(null=True, blank=True, verbose_name=_("depuis le"))
    ended_on = models.DateField(null=True, blank=True, verbose_name=_("jusqu'au"))
    quantity = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("quantité"))
    confidence = models.CharField(max_length=20, choices=Confidence, verbose_name=_("fiabilité"))
    summary = models.TextField(blank=True, verbose_name=_("résumé"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("mis à jour le"))

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")

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

    claim = models.ForeignKey(
        Claim, related_name="changes", on_delete=models.CASCADE, verbose_name=_("dispositif")
    )
    changed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("modifié le"))
    changes = models.JSONField(verbose_name=_("modifications"))  # {"field": [old, new], ...}
    by = models.CharField(max_length=200, verbose_name=_("par"))

    class Meta:
        verbose_name = _("modification de dispositif")
        verbose_name_plural = _("modifications de dispositifs")
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

    claim = models.ForeignKey(
        Claim, related_name="evidence", on_delete=models.CASCADE, verbose_name=_("dispositif")
    )
    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("type"))
    title = models.CharField(max_length=300, blank=True, verbose_name=_("titre"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("éditeur"))
    published_on = models.DateField(null=True, blank=True, verbose_name=_("publiée le"))
    url = models.URLField(max_length=1000, blank=True, verbose_name=_("adresse"))
    # An uploaded copy, kept because pages disappear; its SHA-256 proves it unaltered.
    copy = models.FileField(
        upload_to="observatory/evidence/", blank=True, verbose_name=_("copie conservée")
    )
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("empreinte SHA-256"))
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title or self.url


class Funding(models.Model):
    class Programme(models.TextChoices):
        FIPD = "fipd", _("FIPD")
        DETR_DSIL = "detr_dsil", _("DETR/DSIL")
        REGION = "region", _("région")
        EU = "eu", _("Union européenne")
        OTHER = "other", _("autre")

    place = models.ForeignKey(
        Place, related_name="funding", on_delete=models.PROTECT, verbose_name=_("lieu")
    )
    programme = models.CharField(max_length=12, choices=Programme, verbose_name=_("programme"))
    year = models.PositiveSmallIntegerField(verbose_name=_("année"))
    amount_eur = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("montant (€)"))
    purpose = models.TextField(blank=True, verbose_name=_("objet"))
    evidence_url = models.URLField(max_length=1000, blank=True, verbose_name=_("source"))

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")

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
        Place,
        null=True,
        blank=True,
        related_name="leads",
        on_delete=models.SET_NULL,
        verbose_name=_("lieu"),
    )
    technology = models.CharField(
        _("technologie"), max_length=20, choices=Claim.Technology, blank=True
    )
    description = models.TextField(_("ce que vous savez"))
    url = models.URLField(_("adresse d'une source"), max_length=1000, blank=True)
    attachment = models.FileField(
        upload_to=private_upload, blank=True, verbose_name=_("pièce jointe")
    )
    attachment_sha256 = models.CharField(
        max_length=64, blank=True, verbose_name=_("empreinte de la pièce jointe")
    )
    attachment_type = models.CharField(
        max_length=100, blank=True, verbose_name=_("type de la pièce jointe")
    )
    # The sender's address, if they left one, encrypted at rest with DATA_KEY (the
    # database never holds it): read through `contact`.
    contact_sealed = models.BinaryField(blank=True, default=b"", verbose_name=_("contact chiffré"))
    # The day only: the hour of a report could tie it to someone's movements.
    received_on = models.DateField(auto_now_add=True, verbose_name=_("reçu le"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.NEW, verbose_name=_("état")
    )
    claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        related_name="leads",
        on_delete=models.SET_NULL,
        verbose_name=_("dispositif"),
    )
    moderator_note = models.TextField(blank=True, verbose_name=_("note de modération"))

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
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

    place = models.ForeignKey(
        Place, related_name="document_requests", on_delete=models.PROTECT, verbose_name=_("lieu")
    )
    documents = models.JSONField(
        default=list, verbose_name=_("documents demandés")
    )  # keys of cada.DOCUMENTS
    requested_by = models.CharField(_("demandeur (public)"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=Status, default=Status.SENT, verbose_name=_("état")
    )
    sent_on = models.DateField(_("envoyée le"))
    answered_on = models.DateField(_("réponse le"), null=True, blank=True)
    refused_on = models.DateField(_("refus explicite le"), null=True, blank=True)
    referred_on = models.DateField(_("CADA saisie le"), null=True, blank=True)
    cada_number = models.CharField(_("numéro de dossier CADA"), max_length=40, blank=True)
    opinion_on = models.DateField(_("avis rendu le"), null=True, blank=True)
    opinion = models.CharField(
        max_length=14, choices=Opinion, blank=True, verbose_name=_("avis de la CADA")
    )
    answer = models.FileField(upload_to=private_upload, blank=True, verbose_name=_("réponse"))
    answer_sha256 = models.CharField(
        max_length=64, blank=True, verbose_name=_("empreinte de la réponse")
    )
    claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        related_name="document_requests",
        on_delete=models.SET_NULL,
        verbose_name=_("dispositif"),
    )
    notes = models.TextField(blank=True, verbose_name=_("notes"))

    class Meta:
        verbose_name = _("demande de documents")
        verbose_name_plural = _("demandes de documents")
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

    claim = models.ForeignKey(
        Claim, related_name="inventory", on_delete=models.CASCADE, verbose_name=_("dispositif")
    )
    reference = models.CharField(
        max_length=40, verbose_name=_("référence")
    )  # the camera's number in the document
    location_text = models.CharField(max_length=500, verbose_name=_("emplacement"))
    postcode = models.CharField(max_length=10, blank=True, verbose_name=_("code postal"))
    precision = models.CharField(max_length=10, choices=Precision, verbose_name=_("précision"))
    commissioned_on = models.DateField(null=True, blank=True, verbose_name=_("mis en service le"))
    commissioned_text = models.CharField(
        max_length=40, blank=True, verbose_name=_("mise en service (tel qu'écrit)")
    )  # as the document says
    lon = models.FloatField(null=True, blank=True, verbose_name=_("longitude"))
    lat = models.FloatField(null=True, blank=True, verbose_name=_("latitude"))

    class Meta:
        verbose_name = _("emplacement autorisé")
        verbose_name_plural = _("emplacements autorisés")
        constraints = [
            models.UniqueConstraint(fields=["claim", "reference"], name="one_entry_per_reference")
        ]

    def __str__(self):
        return f"{self.reference} {self.location_text}"


class ApiToken(models.Model):
    """A moderator's key for the API's writes. Only its SHA-256 is stored: the token is
    shown once, when created (manage.py create_api_token)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="api_tokens",
                             on_delete=models.CASCADE, verbose_name=_("utilisateur"))  # fmt: skip
    name = models.CharField(max_length=100, verbose_name=_("nom"))
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("empreinte du jeton"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))
    last_used_on = models.DateField(null=True, blank=True, verbose_name=_("dernière utilisation"))

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self):
        return f"{self.user} · {self.name}"


def _label(field: str, value) -> str:
    """A stored value as the public reads it: a choice by its label."""
    choices = dict(Claim._meta.get_field(field).flatchoices) if field != "vendor" else {}
    return str(choices.get(value, value or ""))
