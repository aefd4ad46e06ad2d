from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from recours.campaigns.models import Campaign, Organisation


class Role(models.TextChoices):
    ORGANISER = "organiser", _("organisatrice ou organisateur")
    MODERATOR = "moderator", _("modération de l'observatoire")
    VIEWER = "viewer", _("lecture des chiffres")


class Membership(models.Model):
    """A person's role in an organisation: what they may see and do in its console."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="memberships",
        on_delete=models.CASCADE,
        verbose_name=_("compte"),
    )
    organisation = models.ForeignKey(
        Organisation,
        related_name="memberships",
        on_delete=models.CASCADE,
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role)
    joined_at = models.DateTimeField(_("arrivée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_member")
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) @ {self.organisation}"


class Invitation(models.Model):
    """A single-use, expiring link mailed to a future member. Only its SHA-256 is kept."""

    organisation = models.ForeignKey(
        Organisation,
        related_name="invitations",
        on_delete=models.CASCADE,
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("adresse"))
    role = models.CharField(_("rôle"), max_length=10, choices=Role)
    token_hash = models.CharField(_("empreinte du lien"), max_length=64, unique=True)
    invited_by = models.CharField(_("invité par"), max_length=150)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation} ({self.role})"


class TotpDevice(models.Model):
    """A member's authenticator app (RFC 6238). The secret is encrypted with DATA_KEY;
    `last_step` refuses a code that was already used (a replayed code)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        related_name="totp",
        on_delete=models.CASCADE,
        verbose_name=_("compte"),
    )
    secret_sealed = models.BinaryField(_("secret chiffré"))
    confirmed_at = models.DateTimeField(_("activée le"), null=True, blank=True)
    last_step = models.BigIntegerField(_("dernier pas utilisé"), default=0)

    class Meta:
        verbose_name = _("application d'authentification")
        verbose_name_plural = _("applications d'authentification")

    def __str__(self):
        return f"TOTP of {self.user}"


class Passkey(models.Model):
    """A WebAuthn credential: only its public key is held."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="passkeys",
        on_delete=models.CASCADE,
        verbose_name=_("compte"),
    )
    name = models.CharField(_("nom"), max_length=60)
    credential_id = models.BinaryField(_("identifiant"), unique=True)
    public_key = models.BinaryField(_("clé publique"))
    sign_count = models.PositiveBigIntegerField(_("compteur de signatures"), default=0)
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé d'accès")
        verbose_name_plural = _("clés d'accès")

    def __str__(self):
        return self.name


class RecoveryCode(models.Model):
    """One of the ten codes shown once at enrolment; each opens the console once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="recovery_codes",
        on_delete=models.CASCADE,
        verbose_name=_("compte"),
    )
    code_hash = models.CharField(_("empreinte"), max_length=64)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")

    def __str__(self):
        return f"recovery code of {self.user}"


class ActivityEntry(models.Model):
    """One line of an organisation's activity log: who did what, when. Append-only and
    hash-chained (each entry's hash covers the previous one), so that a line removed or
    changed afterwards breaks the chain. It never names a signer."""

    organisation = models.ForeignKey(
        Organisation,
        related_name="activity",
        on_delete=models.PROTECT,
        verbose_name=_("organisation"),
    )
    position = models.PositiveIntegerField(_("position"))
    at = models.DateTimeField(_("date et heure"))
    actor = models.CharField(_("par"), max_length=150)
    action = models.CharField(_("action"), max_length=40)
    subject = models.CharField(_("objet"), max_length=200, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        verbose_name=_("campagne"),
    )
    previous_hash = models.CharField(_("empreinte précédente"), max_length=64)
    entry_hash = models.CharField(_("empreinte"), max_length=64)

    class Meta:
        verbose_name = _("entrée d'activité")
        verbose_name_plural = _("journal d'activité")
        ordering = ["organisation", "-position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "position"], name="one_activity_per_position"
            )
        ]

    def __str__(self):
        return f"#{self.position} {self.actor} {self.action} {self.subject}"


class CampaignSetup(models.Model):
    """Which steps of the guided set-up an organiser has saved: a draft campaign is
    built step by step, and each step says whether it is done."""

    campaign = models.OneToOneField(
        Campaign, related_name="setup", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    steps_done = models.JSONField(_("étapes faites"), default=list)

    class Meta:
        verbose_name = _("mise en place de campagne")
        verbose_name_plural = _("mises en place de campagne")

    def __str__(self):
        return f"{self.campaign}: {', '.join(self.steps_done)}"
