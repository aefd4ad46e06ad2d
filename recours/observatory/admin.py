from django.contrib import admin
from django.db import models

from recours.core.admin import ReadOnlyAdmin
from recours.observatory.models import (
    Claim,
    ClaimChange,
    Evidence,
    Funding,
    ImportRun,
    OsmCamera,
    Place,
    Vendor,
)

# A typed address without a scheme is taken as https, as Django 6 will do.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class EvidenceInline(admin.TabularInline):
    model = Evidence
    formfield_overrides = HTTPS_URLS
    extra = 1
    fields = ["kind", "title", "publisher", "published_on", "url", "notes"]


class ClaimChangeInline(admin.TabularInline):
    model = ClaimChange
    extra = 0
    fields = ["changed_at", "by", "changes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Moderators turn leads into claims here; every edit is kept in the claim's history."""

    list_display = ["place", "technology", "vendor", "status", "confidence", "updated_at"]
    list_filter = ["technology", "status", "confidence"]
    search_fields = ["place__name", "place__code", "vendor__name", "summary"]
    autocomplete_fields = ["place", "vendor"]
    inlines = [EvidenceInline, ClaimChangeInline]

    def save_model(self, request, obj, form, change):
        before = Claim.objects.filter(pk=obj.pk).values().first() if change else {}
        super().save_model(request, obj, form, change)
        changes = {
            name: [str(before.get(form.instance._meta.get_field(name).attname, "")),
                   str(getattr(obj, form.instance._meta.get_field(name).attname))]
            for name in form.changed_data
        }  # fmt: skip
        if changes:
            ClaimChange.objects.create(claim=obj, changes=changes, by=request.user.get_username())


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    """Places come from the imports; edit the source files and import again."""

    list_display = ["name", "code", "kind", "population", "merged_into"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "postcodes"]
    exclude = ["geometry"]


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["place", "programme", "year", "amount_eur"]
    list_filter = ["programme", "year"]
    autocomplete_fields = ["place"]


@admin.register(OsmCamera)
class OsmCameraAdmin(ReadOnlyAdmin):
    """The OpenStreetMap layer is read-only: it changes only by re-importing an extract."""

    list_display = ["osm_type", "osm_id", "commune", "surveillance_type", "camera_type"]
    list_filter = ["surveillance_type"]
    raw_id_fields = ["commune"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["kind", "source_name", "finished_at", "added", "updated", "removed"]
