from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from recours.campaigns.domain import (
    NEXT_STATUS,
    StatusError,
    change_campaign_status,
    publish_text_versions,
)
from recours.campaigns.models import (
    Campaign,
    Ground,
    Organisation,
    Source,
    StatusChange,
    TextVersion,
)
from recours.core.admin import ReadOnlyAdmin


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


@admin.action(description=_("Passer au statut suivant (ouvrir, clore, déposer, clore l'affaire)"))
def advance_status(modeladmin, request, queryset):
    for campaign in queryset:
        target = NEXT_STATUS.get(campaign.status)
        try:
            if target is None:
                raise StatusError(_("statut final"))
            change_campaign_status(campaign=campaign, to=target, by=request.user.get_username())
        except StatusError as exc:
            modeladmin.message_user(request, f"{campaign}: {exc}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, f"{campaign}: {campaign.get_status_display()}", messages.SUCCESS
            )


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_at", "changed_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "confirmed_count", "goal", "closes_at"]
    list_filter = ["status"]
    # Status moves only through the action, so that every change is recorded.
    readonly_fields = ["status", "confirmed_count", "public_key", "filed_at", "case_closed_at"]
    inlines = [GroundInline, StatusChangeInline]
    actions = [publish_texts, advance_status]


@admin.register(TextVersion)
class TextVersionAdmin(ReadOnlyAdmin):
    """Published versions are evidence: they can be read, never changed or deleted."""

    list_display = ["campaign", "kind", "number", "sha256", "published_at"]
    list_filter = ["campaign", "kind"]
