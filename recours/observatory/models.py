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
