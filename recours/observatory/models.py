"""The observatory's record: places keyed by INSEE code, and the OpenStreetMap camera
layer, kept apart and read-only (it is ODbL data, refreshed by re-importing an extract)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        EPCI = "epci", _("intercommunalité")
        DEPARTEMENT = "departement", _("département")
        REGION = "region", _("région")

    kind = models.CharField(max_length=12, choices=Kind)
    # INSEE code, the stable key: "75056" (commune), "75" (département), "11" (région).
    # Départements and régions share some codes, so the key is (kind, code).
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=200)
    population = models.PositiveIntegerField(null=True, blank=True)
    postcodes = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="children", on_delete=models.SET_NULL
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
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="one_place_per_code")]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} ({self.code})"


class OsmCamera(models.Model):
    """One `man_made=surveillance` node of OpenStreetMap, as the last import found it."""

    osm_type = models.CharField(max_length=8, default="node")
    osm_id = models.BigIntegerField()
    lon = models.FloatField()
    lat = models.FloatField()
    tags = models.JSONField()
    commune = models.ForeignKey(
        Place, null=True, blank=True, related_name="osm_cameras", on_delete=models.SET_NULL
    )
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

    def __str__(self):
        return f"{self.kind} {self.finished_at:%Y-%m-%d}"


class Vendor(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.name


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

    def __str__(self):
        return f"{self.get_technology_display()} · {self.place}"


class ClaimChange(models.Model):
    """The history of a claim: what changed, when, and on whose word."""

    claim = models.ForeignKey(Claim, related_name="changes", on_delete=models.CASCADE)
    changed_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField()  # {"field": [old, new], ...}
    by = models.CharField(max_length=200)

    def __str__(self):
        return f"{self.claim_id} {self.changed_at:%Y-%m-%d}"


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
    sha256 = models.CharField(max_length=64, blank=True)  # of an uploaded copy, when kept
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
