from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from recours.core.admin import ReadOnlyAdmin
from recours.mandates.models import Mandate, SignerUpdate
from recours.mandates.updates import UpdateAlreadySent, send_signer_update


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
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


@admin.action(description=_("Envoyer aux signataires qui l'ont demandé"))
def send_updates(modeladmin, request, queryset):
    for update in queryset:
        try:
            count = send_signer_update(update=update)
        except UpdateAlreadySent:
            modeladmin.message_user(request, _("%s : déjà envoyée.") % update, messages.WARNING)
        else:
            modeladmin.message_user(
                request,
                _("%(update)s : %(count)d e-mails en file.") % {"update": update, "count": count},
                messages.SUCCESS,
            )


@admin.register(SignerUpdate)
class SignerUpdateAdmin(admin.ModelAdmin):
    list_display = ["subject", "campaign", "created_at", "queued_at", "recipients"]
    list_filter = ["campaign"]
    readonly_fields = ["queued_at", "recipients"]
    actions = [send_updates]
