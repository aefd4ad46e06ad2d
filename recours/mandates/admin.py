from django.contrib import admin

from recours.mandates.models import Mandate


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    """Statuses and dates only: the identity is sealed and the admin cannot open it."""

    list_display = ["pk", "campaign", "status", "signed_at", "confirmed_at", "withdrawn_at"]
    list_filter = ["campaign", "status"]
    fields = [
        "campaign",
        "status",
        "signed_at",
        "confirmed_at",
        "withdrawn_at",
        "language",
        "complaint_version",
        "mandate_version",
        "confirmation_method",
        "evidence_sha256",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
