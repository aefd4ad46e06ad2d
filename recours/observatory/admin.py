import hashlib

from django import forms
from django.contrib import admin
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from recours.core.admin import ReadOnlyAdmin
from recours.observatory.cada import DOCUMENTS
from recours.observatory.domain import (
    create_claim,
    delete_claims,
    delete_funding,
    save_evidence,
    save_funding,
    update_claim,
)
from recours.observatory.models import (
    ApiToken,
    Claim,
    ClaimChange,
    DocumentRequest,
    Evidence,
    Funding,
    ImportRun,
    Lead,
    OsmCamera,
    Place,
    Vendor,
)
from recours.observatory.moderation import answer_as_evidence, reject_lead

# A typed address without a scheme is taken as https, as Django 6 will do.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class EvidenceInline(admin.TabularInline):
    model = Evidence
    formfield_overrides = HTTPS_URLS
    extra = 1
    fields = ["kind", "title", "publisher", "published_on", "url", "copy", "sha256", "notes"]
    readonly_fields = ["sha256"]


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
        by = request.user.get_username()
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            update_claim(claim=obj, changes=changes, by=by)
        else:
            create_claim(claim=obj, by=by, origin="admin")

    def delete_model(self, request, obj):
        delete_claims(claims=[obj])

    def delete_queryset(self, request, queryset):
        delete_claims(claims=list(queryset))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Evidence:
            return super().save_formset(request, form, formset, change)
        for evidence in formset.save(commit=False):
            save_evidence(evidence=evidence, by=request.user.get_username())
        for evidence in formset.deleted_objects:
            evidence.delete()
        return None


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    """Places come from the imports; edit the source files and import again."""

    list_display = ["name", "code", "kind", "population", "merged_into"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "postcodes"]
    exclude = ["geometry", "outline_coarse"]


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Funding)
class FundingAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["place", "programme", "year", "amount_eur"]
    list_filter = ["programme", "year"]
    autocomplete_fields = ["place"]

    def save_model(self, request, obj, form, change):
        save_funding(funding=obj)

    def delete_model(self, request, obj):
        delete_funding(fundings=[obj])

    def delete_queryset(self, request, queryset):
        delete_funding(fundings=list(queryset))


@admin.register(OsmCamera)
class OsmCameraAdmin(ReadOnlyAdmin):
    """The OpenStreetMap layer is read-only: it changes only by re-importing an extract."""

    list_display = ["osm_type", "osm_id", "commune", "surveillance_type", "camera_type"]
    list_filter = ["surveillance_type"]
    raw_id_fields = ["commune"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["kind", "source_name", "finished_at", "added", "updated", "removed"]


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    """The moderation queue: leads arrive here, newest first; a moderator turns one into a
    claim with its evidence, or sets it aside."""

    list_display = ["received_on", "place_text", "technology", "status", "has_attachment"]
    list_filter = ["status", "technology"]
    search_fields = ["place_text", "description"]
    ordering = ["status", "-received_on"]
    readonly_fields = ["place_text", "technology", "description", "url", "contact",
                       "received_on", "attachment_link", "attachment_type",
                       "attachment_sha256", "claim", "create_claim_link"]  # fmt: skip
    fields = [*readonly_fields, "place", "status", "moderator_note"]
    autocomplete_fields = ["place"]

    actions = ["reject"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        # Setting a new lead aside goes through reject_lead, which forgets its document.
        rejecting = (
            "status" in form.changed_data
            and obj.status == Lead.Status.REJECTED
            and form.initial.get("status") == Lead.Status.NEW
        )
        if rejecting:
            obj.status = Lead.Status.NEW
        super().save_model(request, obj, form, change)
        if rejecting:
            reject_lead(obj, obj.moderator_note)

    @admin.action(description=_("Écarter les pistes choisies (leur document est effacé)"))
    def reject(self, request, queryset):
        for lead in queryset.filter(status=Lead.Status.NEW):
            reject_lead(lead, lead.moderator_note)

    @admin.display(boolean=True, description=_("document"))
    def has_attachment(self, lead):
        return bool(lead.attachment)

    @admin.display(description=_("document joint"))
    def attachment_link(self, lead):
        if not lead.attachment:
            return "–"
        url = reverse("admin:observatory_lead_attachment", args=[lead.pk])
        return format_html('<a href="{}">{}</a>', url, _("télécharger"))

    @admin.display(description=_("dispositif"))
    def create_claim_link(self, lead):
        # Moderation happens in the console, where the place is found by search.
        if lead.status != Lead.Status.NEW or not lead.pk:
            return "–"
        url = reverse("console:lead", args=[lead.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Traiter dans la console"))

    def get_urls(self):
        own = [
            path("<int:pk>/document/", self.admin_site.admin_view(self.attachment_view),
                 name="observatory_lead_attachment"),
        ]  # fmt: skip
        return own + super().get_urls()

    def attachment_view(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        if not self.has_view_permission(request, lead) or not lead.attachment:
            raise Http404
        # Sent as a download of a neutral type: a moderator's browser must not run what
        # an anonymous sender uploaded.
        response = FileResponse(lead.attachment.open("rb"), as_attachment=True,
                                content_type="application/octet-stream")  # fmt: skip
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DocumentRequestForm(forms.ModelForm):
    class Meta:
        model = DocumentRequest
        fields = ["place", "documents", "requested_by", "status", "sent_on", "answered_on",
                  "refused_on", "referred_on", "cada_number", "opinion_on", "opinion",
                  "answer", "claim", "notes"]  # fmt: skip

    documents = forms.MultipleChoiceField(
        label=_("Documents demandés"), choices=[(k, v[0]) for k, v in DOCUMENTS.items()],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


@admin.register(DocumentRequest)
class DocumentRequestAdmin(admin.ModelAdmin):
    """Requests followed publicly on the commune's page, with their deadlines."""

    form = DocumentRequestForm
    list_display = ["place", "sent_on", "status", "opinion", "claim"]
    list_filter = ["status", "opinion"]
    search_fields = ["place__name", "place__code", "cada_number"]
    autocomplete_fields = ["place", "claim"]
    readonly_fields = ["answer_sha256"]
    actions = ["file_answer_as_evidence"]

    def save_model(self, request, obj, form, change):
        if "answer" in form.changed_data and obj.answer:
            obj.answer.seek(0)
            obj.answer_sha256 = hashlib.sha256(obj.answer.read()).hexdigest()
            obj.answer.seek(0)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Joindre la réponse comme source du dispositif lié"))
    def file_answer_as_evidence(self, request, queryset):
        done = 0
        for item in queryset.select_related("place", "claim"):
            if item.claim and item.answer:
                answer_as_evidence(item, item.claim, by=request.user.get_username())
                done += 1
        self.message_user(request, _("%(n)d réponse(s) jointe(s).") % {"n": done})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created on the command line (create_api_token); here they are revoked."""

    list_display = ["user", "name", "created_at", "last_used_on"]
    readonly_fields = ["user", "name", "created_at", "last_used_on"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False
