"""The organisation's activity log: append-only, hash-chained like the transparency log.

Each entry's hash covers the previous entry's hash and its own canonical JSON, so that
removing, reordering or editing a line afterwards breaks every hash after it
(`first_broken_position`). Entries are written in the transaction of the change they
record, and name members and campaigns, never a signer.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recours.campaigns.models import Organisation
from recours.console.models import ActivityEntry
from recours.core.crypto import canonical_json, sha256_hex

GENESIS = "0" * 64
# What each action reads as in the console.
ACTIONS = {
    "organisation.created": _("a créé l'organisation"),
    "organisation.changed": _("a modifié les informations légales"),
    "member.invited": _("a invité"),
    "member.joined": _("a rejoint l'organisation"),
    "member.removed": _("a retiré"),
    "campaign.created": _("a créé la campagne"),
    "campaign.changed": _("a modifié le brouillon de"),
    "key.registered": _("a enregistré la clé publique de"),
    "texts.published": _("a publié les textes de"),
    "status.changed": _("a changé le statut de"),
    "news.sent": _("a envoyé une nouvelle aux signataires de"),
    "paper.entered": _("a saisi un mandat papier pour"),
    "federation.switched": _("a changé la présence sur le fédivers de"),
    "federation.deleted": _("a supprimé le compte sur le fédivers de"),
    "lead.accepted": _("a accepté un signalement en fiche"),
    "lead.rejected": _("a écarté un signalement"),
    "claim.changed": _("a modifié une fiche de l'observatoire"),
    "request.answered": _("a versé une réponse CADA en preuve"),
}


def _digest(previous: str, entry: ActivityEntry) -> str:
    content = {
        "organisation": entry.organisation_id,
        "position": entry.position,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "subject": entry.subject,
        "details": entry.details,
        "campaign": entry.campaign_id,
    }
    return sha256_hex(previous.encode() + canonical_json(content))


def record_activity(
    *, organisation, actor, action: str, subject: str = "", details=None, campaign=None
) -> ActivityEntry:
    """Appends one entry to the organisation's log. Call it inside the transaction of the
    change it records: the organisation's row is locked so that entries are numbered one
    after the other, whatever the number of app servers."""
    if action not in ACTIONS:
        raise ValueError(f"unknown activity {action!r}")
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        last = (
            ActivityEntry.objects.filter(organisation=organisation)
            .order_by("-position")
            .values_list("position", "entry_hash")
            .first()
        )
        position, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = ActivityEntry(
            organisation=organisation,
            position=position,
            at=timezone.now().replace(microsecond=0),
            actor=getattr(actor, "username", actor)[:150],
            action=action,
            subject=subject[:200],
            details=details or {},
            campaign=campaign,
            previous_hash=previous,
        )
        entry.entry_hash = _digest(previous, entry)
        entry.save()
    return entry


def first_broken_position(organisation) -> int | None:
    """The position of the first entry that does not follow from the one before it, or
    None when the whole chain holds."""
    previous, expected_position = GENESIS, 1
    for entry in ActivityEntry.objects.filter(organisation=organisation).order_by("position"):
        if (
            entry.position != expected_position
            or entry.previous_hash != previous
            or entry.entry_hash != _digest(previous, entry)
        ):
            return entry.position
        previous, expected_position = entry.entry_hash, expected_position + 1
    return None
