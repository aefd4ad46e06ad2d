from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """One mail to send. The database is the queue: the web request writes the row in its
    own transaction, the `send_emails` worker claims and sends it. The recipient and body
    are the only plain personal data Recours keeps, and only until the mail has left."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")
        # The worker died between handing the mail to SMTP and recording it: we cannot know
        # whether it left, and sending twice is worse than asking the signer to sign again.
        UNCERTAIN = "uncertain", _("incertain")

    template = models.CharField(max_length=60)
    to = models.TextField(blank=True)
    reply_to = models.TextField(blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # What the mail is about, for its sender's app to act on a bounce ("mandate:42"); it
    # names no person, and stays when the recipient and body are wiped.
    about = models.CharField(max_length=40, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.template} #{self.pk} ({self.status})"

    @property
    def is_wiped(self) -> bool:
        return not (self.to or self.reply_to or self.body_text or self.body_html)
