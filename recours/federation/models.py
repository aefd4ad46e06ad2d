"""Campaigns and the observatory as ActivityPub actors: who follows them (a count is all
that is published), the notes they post, and each note's delivery to each inbox."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recours.campaigns.models import Campaign


class Actor(models.Model):
    """An account other servers follow: a campaign (`@<slug>@host`) or the observatory
    (`@observatoire@host`). Its RSA key signs what it sends; the private half is stored
    encrypted with DATA_KEY and is never the campaign's sealing key."""

    username = models.CharField(_("identifiant"), max_length=60, unique=True)
    campaign = models.OneToOneField(
        Campaign, null=True, blank=True, related_name="actor", on_delete=models.PROTECT,
        verbose_name=_("campagne"),
    )  # fmt: skip
    public_key_pem = models.TextField(_("clé publique"))
    private_key_sealed = models.BinaryField(_("clé privée chiffrée"), editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    # The campaign's count when the actor was made: steps already passed are not posted.
    baseline = models.PositiveIntegerField(_("compte à la création"), default=0)
    # Deleted by the organisers: a Delete was sent to its followers, and the server
    # answers 410 for it from then on.
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("acteur ActivityPub")
        verbose_name_plural = _("acteurs ActivityPub")

    def __str__(self):
        return self.username


class Follower(models.Model):
    """A remote account that follows an actor, and where to deliver to it. Never shown
    and never published: the followers collection gives its size only."""

    actor = models.ForeignKey(
        Actor, related_name="followers", on_delete=models.CASCADE, verbose_name=_("acteur")
    )
    remote_id = models.URLField(_("compte distant"), max_length=500)
    host = models.CharField(_("serveur"), max_length=255)
    inbox = models.URLField(_("boîte de réception"), max_length=500)
    # The server's shared inbox when it offers one: one delivery per server.
    shared_inbox = models.URLField(_("boîte partagée"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("suit depuis"), default=timezone.now)

    class Meta:
        verbose_name = _("abonné distant")
        verbose_name_plural = _("abonnés distants")
        constraints = [
            models.UniqueConstraint(fields=["actor", "remote_id"], name="one_follow_per_account")
        ]
        indexes = [models.Index(fields=["actor", "host"], name="follower_by_host")]

    def __str__(self):
        return self.remote_id

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class RemoteKey(models.Model):
    """A remote actor's public key, fetched once to check its signatures, and fetched
    again when a signature does not verify (the actor may have rotated it)."""

    key_id = models.URLField(_("identifiant de clé"), max_length=500, unique=True)
    owner = models.URLField(_("propriétaire"), max_length=500)
    public_key_pem = models.TextField(_("clé publique"))
    inbox = models.URLField(_("boîte de réception"), max_length=500, blank=True)
    shared_inbox = models.URLField(_("boîte partagée"), max_length=500, blank=True)
    fetched_at = models.DateTimeField(_("lue le"), default=timezone.now)

    class Meta:
        verbose_name = _("clé distante")
        verbose_name_plural = _("clés distantes")

    def __str__(self):
        return self.key_id


class Activity(models.Model):
    """What an actor sends, built once and stored as sent: a public note about an event
    of its campaign or of the observatory (Create), the Accept of a follow, or the Delete
    of the actor itself. `event` names what it is about (e.g. "milestone:5000",
    "claim:12"): one activity per event per actor, which the database holds, so that a
    surge or two workers post it once."""

    class Kind(models.TextChoices):
        CREATE = "Create"
        ACCEPT = "Accept"
        UPDATE = "Update"
        DELETE = "Delete"

    actor = models.ForeignKey(
        Actor, related_name="activities", on_delete=models.CASCADE, verbose_name=_("acteur")
    )
    event = models.CharField(_("événement"), max_length=120)
    kind = models.CharField(_("type"), max_length=8, choices=Kind)
    payload = models.JSONField(_("activité"))
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("activité envoyée")
        verbose_name_plural = _("activités envoyées")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "event"], name="one_activity_per_event")
        ]
        indexes = [models.Index(fields=["actor", "kind", "-published_at"], name="outbox_page")]

    def __str__(self):
        return f"{self.actor} {self.event}"


class Delivery(models.Model):
    """One activity to one inbox: sent once, retried with backoff, given up on a server
    that stays unreachable."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours")
        SENT = "sent", _("envoyée")
        FAILED = "failed", _("abandonnée")

    activity = models.ForeignKey(
        Activity, related_name="deliveries", on_delete=models.CASCADE, verbose_name=_("activité")
    )
    inbox = models.URLField(_("boîte de réception"), max_length=500)
    host = models.CharField(_("serveur"), max_length=255)
    status = models.CharField(_("état"), max_length=8, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)
    claimed_at = models.DateTimeField(_("pris le"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("livraison")
        verbose_name_plural = _("livraisons")
        constraints = [
            models.UniqueConstraint(fields=["activity", "inbox"], name="one_delivery_per_inbox")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.activity} → {self.inbox} ({self.status})"
