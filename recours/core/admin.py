from django.contrib import admin

from recours.core.models import OutboxEmail


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are evidence or sealed: staff can read them, never edit them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Delivery state only: recipients and bodies are never shown."""

    list_display = ["pk", "template", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "template"]
    fields = [
        "template",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "last_error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
