from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from recours.campaigns.models import Campaign, TextVersion
from recours.core import statements
from recours.core.crypto import sha256_hex


class Mandate(models.Model):
    """A signer's mandate. Who signed is only in `sealed_identity`, which the server cannot
    open; `email_hash` (keyed with the server's pepper) serves deduplication."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("mandate status", "en attente de confirmation")
        CONFIRMED = "confirmed", pgettext_lazy("mandate status", "confirmé")
        WITHDRAWN = "withdrawn", pgettext_lazy("mandate status", "retiré")
        INVALIDATED = "invalidated", pgettext_lazy("mandate status", "invalidé")

    campaign = models.ForeignKey(
        Campaign, related_name="mandates", on_delete=models.PROTECT, verbose_name=_("campagne")
    )
    status = models.CharField(
        max_length=12, choices=Status, default=Status.PENDING, verbose_name=_("état")
    )
    email_hash = models.CharField(max_length=64, verbose_name=_("empreinte de l'adresse"))
    # Keyed hashes (campaign-scoped, pepper from settings) that let organisers select a
    # flood by e-mail domain or network without the database naming either. The network
    # hash goes at filing with the other technical traces (R2.5).
    email_domain_hash = models.CharField(
        max_length=64, blank=True, verbose_name=_("empreinte du domaine")
    )
    network_hash = models.CharField(
        max_length=64, blank=True, verbose_name=_("empreinte du réseau")
    )
    sealed_identity = models.BinaryField(
        null=True, editable=False, verbose_name=_("identité scellée")
    )
    # Which campaign key sealed the record (a key rotation re-seals old records), and the
    # SHA-256 of the record as it was confirmed, which the evidence and commitment cover.
    sealed_key_id = models.CharField(max_length=16, blank=True, verbose_name=_("clé de scellement"))
    # A paper mandate's scanned form, sealed to the campaign key like the identity, which
    # holds its SHA-256: the scan cannot be swapped without breaking the evidence.
    sealed_scan = models.BinaryField(null=True, editable=False, verbose_name=_("scan scellé"))
    # Only for signers who asked for news of the complaint: their e-mail address sealed to
    # the server's contact key (settings.CONTACT_KEY), which the server can open to write.
    contact_sealed = models.BinaryField(
        null=True, editable=False, verbose_name=_("contact chiffré")
    )
    confirmed_sealed_sha256 = models.CharField(
        max_length=64, blank=True, verbose_name=_("empreinte de l'identité confirmée")
    )
    complaint_version = models.ForeignKey(
        TextVersion,
        related_name="+",
        on_delete=models.PROTECT,
        verbose_name=_("version de la plainte"),
    )
    mandate_version = models.ForeignKey(
        TextVersion, related_name="+", on_delete=models.PROTECT, verbose_name=_("version du mandat")
    )
    language = models.CharField(max_length=8, verbose_name=_("langue"))
    signed_at = models.DateTimeField(verbose_name=_("signé le"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmé le"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("retiré le"))
    # The confirmation mail could not be delivered: the mandate can no longer be
    # confirmed, and never counts.
    bounced_at = models.DateTimeField(null=True, blank=True, verbose_name=_("adresse rejetée le"))
    invalidation = models.ForeignKey(
        "Invalidation",
        null=True,
        blank=True,
        related_name="mandates",
        on_delete=models.PROTECT,
        verbose_name=_("invalidation"),
    )
    # When retention ended: the sealed identity is gone, the mandate still counts as given.
    purged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("purgé le"))
    # Evidence (R1.6): how the signer was verified, and a SHA-256 over the texts' hashes,
    # the sealed record and the UTC times, fixed at confirmation.
    confirmation_method = models.CharField(
        max_length=20, blank=True, verbose_name=_("mode de confirmation")
    )
    evidence_sha256 = models.CharField(
        max_length=64, blank=True, verbose_name=_("empreinte des preuves")
    )
    # The public proof of this mandate (see transparency.py): a salted hash of the sealed
    # record and the evidence, and its place in the campaign's log.
    commitment_salt = models.CharField(
        max_length=32, blank=True, verbose_name=_("sel de l'engagement")
    )
    commitment = models.CharField(max_length=64, blank=True, verbose_name=_("engagement"))
    log_position = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("position dans le journal")
    )

    class Meta:
        verbose_name = _("mandat")
        verbose_name_plural = _("mandats")
        constraints = [
            # One active mandate per person per campaign (R1.9), held by the database
            # itself so that concurrent requests cannot both insert.
            models.UniqueConstraint(
                fields=["campaign", "email_hash"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="one_active_mandate_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["withdrawn", "invalidated"])
                | Q(purged_at__isnull=False)
                | Q(sealed_identity__isnull=False),
                name="active_mandate_has_identity",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            # The lookup of a signer by e-mail on every signature. The partial unique
            # index above cannot serve it on SQLite: the planner uses a partial index only
            # when the query repeats its condition with literal values, not parameters,
            # and without this index the lookup scanned every confirmed mandate.
            models.Index(fields=["campaign", "email_hash"], name="mandate_by_email"),
            # "N mandates in the last 24 hours" on the campaign page.
            models.Index(fields=["campaign", "confirmed_at"], name="mandate_confirmed_at"),
        ]

    def __str__(self):
        return f"#{self.pk} ({self.status})"


class MandateToken(models.Model):
    """A link mailed to a signer. Only the token's SHA-256 is stored: the database alone
    cannot be used to confirm or withdraw anything."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", _("confirmer")
        MANAGE = "manage", _("gérer")
        UNSUBSCRIBE = "unsubscribe", _("se désabonner")

    mandate = models.ForeignKey(
        Mandate, related_name="tokens", on_delete=models.CASCADE, verbose_name=_("mandat")
    )
    purpose = models.CharField(max_length=12, choices=Purpose, verbose_name=_("usage"))
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("empreinte du jeton"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expire le"))
    used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("utilisé le"))

    class Meta:
        verbose_name = _("jeton de mandat")
        verbose_name_plural = _("jetons de mandat")

    def __str__(self):
        return f"{self.purpose} token for mandate #{self.mandate_id}"


class LogEntry(models.Model):
    """One line of a campaign's public, append-only transparency log: a confirmed mandate's
    commitment was added, or the mandate at `ref_position` was removed (withdrawal,
    invalidation, purge). Each entry's hash covers the previous one (a hash chain), and the
    entries are the leaves of the published Merkle tree."""

    class Kind(models.TextChoices):
        ADD = "add", _("ajout")
        REMOVE = "remove", _("retrait")

    campaign = models.ForeignKey(
        Campaign, related_name="log_entries", on_delete=models.PROTECT, verbose_name=_("campagne")
    )
    position = models.PositiveIntegerField(verbose_name=_("position"))
    kind = models.CharField(max_length=6, choices=Kind, verbose_name=_("type"))
    commitment = models.CharField(max_length=64, verbose_name=_("engagement"))
    ref_position = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("position visée")
    )
    created_at = models.DateTimeField(verbose_name=_("créé le"))
    previous_hash = models.CharField(max_length=64, verbose_name=_("empreinte précédente"))
    entry_hash = models.CharField(max_length=64, verbose_name=_("empreinte de l'entrée"))

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("entrées du journal")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="one_entry_per_position")
        ]
        # A receipt's check looks up the removal of its position, and the head counts
        # removals. Not a partial index: SQLite uses one only when the query repeats its
        # condition as literal values, never with bound parameters.
        indexes = [
            models.Index(fields=["campaign", "ref_position"], name="log_removal_of_position")
        ]

    def __str__(self):
        return f"{self.kind} #{self.position}"


class LogNode(models.Model):
    """A complete subtree of the log's Merkle tree, stored once it is complete: the node at
    level L and index i is the root over leaves i·2^L to (i+1)·2^L − 1 (L ≥ 1; leaves are
    the entries themselves). With them, the tree head and any inclusion proof take a few
    indexed reads instead of hashing every entry (log_tree.py). Its place is one number,
    `slot` = L·2^40 + i, so that the nodes a proof needs are one `IN` on one index."""

    SLOT_SHIFT = 40

    campaign = models.ForeignKey(
        Campaign, related_name="+", on_delete=models.PROTECT, verbose_name=_("campagne")
    )
    slot = models.BigIntegerField(verbose_name=_("emplacement"))
    hash = models.CharField(max_length=64, verbose_name=_("empreinte"))

    class Meta:
        verbose_name = _("nœud du journal")
        verbose_name_plural = _("nœuds du journal")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slot"], name="one_node_per_slot")
        ]

    def __str__(self):
        return f"{self.slot >> self.SLOT_SHIFT}/{self.slot & ((1 << self.SLOT_SHIFT) - 1)}"

    @classmethod
    def slot_of(cls, level: int, index: int) -> int:
        return (level << cls.SLOT_SHIFT) | index


class SignerUpdate(models.Model):
    """News of the complaint (filed, answered, decided) for the signers who asked for it."""

    campaign = models.ForeignKey(
        Campaign, related_name="updates", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("texte (Markdown)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))
    queued_at = models.DateTimeField(_("envoyée le"), null=True, blank=True, editable=False)
    recipients = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("destinataires")
    )

    class Meta:
        verbose_name = _("nouvelle aux signataires")
        verbose_name_plural = _("nouvelles aux signataires")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class SubmissionKey(models.Model):
    """The one-time key of a submitted sign form, kept two days: a client that times out
    and sends the same form again is answered without a second signature or mail."""

    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("empreinte de la clé"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True, verbose_name=_("créé le"))

    class Meta:
        verbose_name = _("clé d'envoi")
        verbose_name_plural = _("clés d'envoi")

    def __str__(self):
        return self.key_hash[:12]

    @staticmethod
    def hash_of(key: str) -> str:
        return sha256_hex(key.encode())

    @classmethod
    def spend(cls, key: str) -> bool:
        return bool(cls.spend_hashes([cls.hash_of(key)]))

    @classmethod
    def spend_hashes(cls, key_hashes: list[str]) -> set[str]:
        """Of these keys' hashes, those spent now for the first time; a key is spent
        once, ever. The unique index decides, so concurrent requests in any process agree."""
        return insert_new([cls(key_hash=key_hash) for key_hash in key_hashes])


def insert_new(rows: list[models.Model]) -> set[str]:
    """Inserts the rows whose `key_hash` is not stored yet, in one statement, and returns
    the key hashes it inserted: the unique index decides, where an insert that may fail
    needs a savepoint (or a transaction) around each."""
    return set(statements.insert_returning(rows, "key_hash", unless="key_hash"))


class Invalidation(models.Model):
    """An organiser's decision to strike out mandates as abuse: who, when, on which
    criteria, how many. The mandates' own rows say which."""

    campaign = models.ForeignKey(
        Campaign, related_name="invalidations", on_delete=models.PROTECT, verbose_name=_("campagne")
    )
    decided_by = models.CharField(max_length=150, verbose_name=_("décidée par"))
    criteria = models.JSONField(verbose_name=_("critères"))
    count = models.PositiveIntegerField(verbose_name=_("nombre"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))

    class Meta:
        verbose_name = _("invalidation")
        verbose_name_plural = _("invalidations")

    def __str__(self):
        return f"{self.count} invalidated by {self.decided_by}"


class SignIntake(models.Model):
    """A signature received and not yet recorded: what the sign form's request stores,
    in one statement, before it answers; the worker turns it into the mandate, its
    tokens and its mail in one transaction, then deletes it (mandates/intake.py).

    It holds what the mandate will hold (the identity sealed to the campaign key, keyed
    hashes) and the address the mail goes to, encrypted with DATA_KEY like the outbox:
    a stolen database names no one here either. `key_hash` is the form's one-time key,
    so that a client sending the same form again stores it once."""

    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("empreinte de la clé"))
    campaign = models.ForeignKey(
        Campaign, related_name="+", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    email_hash = models.CharField(max_length=64, verbose_name=_("empreinte de l'adresse"))
    email_domain_hash = models.CharField(max_length=64, verbose_name=_("empreinte du domaine"))
    network_hash = models.CharField(
        max_length=64, blank=True, verbose_name=_("empreinte du réseau")
    )
    address_sealed = models.BinaryField(verbose_name=_("adresse chiffrée"))
    sealed_identity = models.BinaryField(verbose_name=_("identité scellée"))
    sealed_key_id = models.CharField(max_length=16, verbose_name=_("clé de scellement"))
    contact_sealed = models.BinaryField(null=True, verbose_name=_("contact chiffré"))
    complaint_version = models.ForeignKey(
        TextVersion, related_name="+", on_delete=models.CASCADE, verbose_name=_("plainte")
    )
    mandate_version = models.ForeignKey(
        TextVersion, related_name="+", on_delete=models.CASCADE, verbose_name=_("mandat")
    )
    language = models.CharField(max_length=8, verbose_name=_("langue"))
    # The channel the visitor came through, counted once recorded (campaigns/share_counters).
    via = models.CharField(max_length=20, blank=True, verbose_name=_("canal"))
    signed_at = models.DateTimeField(verbose_name=_("signé le"))

    class Meta:
        verbose_name = _("signature reçue")
        verbose_name_plural = _("signatures reçues")

    def __str__(self):
        return f"{self.campaign_id} {self.signed_at:%Y-%m-%d %H:%M:%S}"

    def store(self) -> bool:
        """Inserts the row in one statement; False if its key is stored already."""
        return bool(insert_new([self]))
