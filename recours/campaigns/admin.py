from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from recours.campaigns.domain import publish_text_versions
from recours.campaigns.models import Campaign, Ground, Organisation, Source, TextVersion


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "registration_number"]


class GroundInline(admin.StackedInline):
    model = Ground
    extra = 0
    show_change_link = True


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1


@admin.register(Ground)
class GroundAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "position"]
    list_filter = ["campaign"]
    inlines = [SourceInline]


@admin.action(description=_("Publier les textes (nouvelle version si modifiés)"))
def publish_texts(modeladmin, request, queryset):
    for campaign in queryset:
        created = publish_text_versions(campaign=campaign)
        modeladmin.message_user(
            request,
            ngettext(
                "%(campaign)s : %(count)d version publiée.",
                "%(campaign)s : %(count)d versions publiées.",
                len(created),
            )
            % {"campaign": campaign, "count": len(created)},
            messages.SUCCESS,
        )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "confirmed_count", "goal", "closes_at"]
    list_filter = ["status"]
    readonly_fields = ["confirmed_count", "public_key"]
    inlines = [GroundInline]
    actions = [publish_texts]


@admin.register(TextVersion)
class TextVersionAdmin(admin.ModelAdmin):
    """Published versions are evidence: they can be read, never changed or deleted."""

    list_display = ["campaign", "kind", "number", "sha256", "published_at"]
    list_filter = ["campaign", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
