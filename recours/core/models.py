import json
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from recours.core import at_rest

OUTBOX_PURPOSE = "outbox"


@dataclass(frozen=True)
class MailContent:
    """What a mail says and to whom: everything in it that may name a person."""

    to: str
    subject: str
    body_text: str
    body_html: str
    reply_to: str = ""

    def sealed(self) -> bytes:
        plain = json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":"))
        return at_rest.encrypt(plain.encode(), purpose=OUTBOX_PURPOSE)

    @classmethod
    def opened(cls, sealed: bytes) -> "MailContent":
        return cls(**json.loads(at_rest.decrypt(sealed, purpose=OUTBOX_PURPOSE)))


class OutboxEmail(models.Model):
    """One mail to send. The database is the queue: the web request writes the row in its
    own transaction, the `send_emails` worker claims and sends it. Its recipient, subject
    and bodies are one value encrypted with DATA_KEY (core/at_rest.py), which the
    database never holds, and are wiped once the mail has left."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")
        # The worker died between handing the mail to SMTP and recording it: we cannot know
        # whether it left, and sending twice is worse than asking the signer to sign again.
        UNCERTAIN = "uncertain", _("incertain")

    template = models.CharField(max_length=60, verbose_name=_("modèle"))
    # A MailContent encrypted at rest; empty once wiped.
    sealed = models.BinaryField(blank=True, default=b"", verbose_name=_("contenu chiffré"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.QUEUED, verbose_name=_("état")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("tentatives"))
    next_attempt_at = models.DateTimeField(verbose_name=_("prochaine tentative"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("pris en charge le"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("envoyé le"))
    last_error = models.CharField(max_length=300, blank=True, verbose_name=_("dernière erreur"))
    # What the mail is about, for its sender's app to act on a bounce ("mandate:42"); it
    # names no person, and stays when the recipient and body are wiped.
    about = models.CharField(max_length=40, blank=True, verbose_name=_("concerne"))
    bounced_at = models.DateTimeField(null=True, blank=True, verbose_name=_("adresse rejetée le"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créé le"))

    class Meta:
        verbose_name = _("courriel en attente")
        verbose_name_plural = _("courriels en attente")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.template} #{self.pk} ({self.status})"

    @property
    def is_wiped(self) -> bool:
        return not self.sealed

    @property
    def content(self) -> MailContent:
        """The mail, decrypted (raises at_rest.Unreadable without the right key)."""
        return MailContent.opened(self.sealed)
