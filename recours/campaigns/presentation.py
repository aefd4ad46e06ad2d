"""What the public pages say about a campaign's time and progress."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def time_left_message(closes_at: datetime, now: datetime) -> str:
    remaining = closes_at - now
    if remaining.total_seconds() <= 0:
        return _("La signature est close.")
    days = remaining.days
    if days >= 1:
        return ngettext(
            "Plus que %(count)d jour pour signer", "Plus que %(count)d jours pour signer", days
        ) % {"count": days}
    hours = int(remaining.total_seconds() // 3600)
    if hours >= 1:
        return ngettext(
            "Plus que %(count)d heure pour signer", "Plus que %(count)d heures pour signer", hours
        ) % {"count": hours}
    return _("Moins d'une heure pour signer")
