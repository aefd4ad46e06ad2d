from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from recours.core.colours import AA_TEXT, PAGE, contrast, is_hex
from recours.core.crypto import public_key_is_valid


class Organisation(models.Model):
    """The representative body a mandate is given to (GDPR Art. 80(1), R1.1)."""

    name = models.CharField(_("nom"), max_length=200)
    legal_form = models.CharField(_("forme juridique"), max_length=200, blank=True)
    registration_number = models.CharField(
        _("numéro d'enregistrement"), max_length=60, help_text=_("RNA, SIREN ou équivalent.")
    )
    registered_office = models.TextField(_("siège social"))
    statutory_object = models.TextField(_("objet statutaire"))
    signatory = models.CharField(_("signataire"), max_length=200, blank=True)
    website = models.URLField(_("site web"), blank=True)
    contact_email = models.EmailField(_("adresse de contact"))
    dpo_contact = models.CharField(
        _("contact du délégué à la protection des données"), max_length=200, blank=True
    )
    logo = models.ForeignKey(
        "Picture", null=True, blank=True, related_name="+", on_delete=models.SET_NULL,
        verbose_name=_("logo"),
    )  # fmt: skip
    # '#rrggbb', with at least 4.5:1 against the page (checked where it is set).
    colour = models.CharField(_("couleur principale"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def as_snapshot(self) -> dict:
        return {
            "name": self.name,
            "legal_form": self.legal_form,
            "registration_number": self.registration_number,
            "registered_office": self.registered_office,
            "statutory_object": self.statutory_object,
            "signatory": self.signatory,
        }


# First path segments the site itself uses; a campaign cannot take them.
RESERVED_SLUGS = {
    "admin", "api", "console", "droits", "images", "langue", "mentions-legales",
    "accessibilite", "observatoire", "static", "ap",
}  # fmt: skip


class Campaign(models.Model):
    """One collective complaint. Its editable texts are a draft; what the public reads and
    signs is the latest published `TextVersion`, immutable and hashed."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("campaign status", "brouillon")
        OPEN = "open", pgettext_lazy("campaign status", "ouverte")
        CLOSED = "closed", pgettext_lazy("campaign status", "close")
        FILED = "filed", pgettext_lazy("campaign status", "déposée")
        CASE_CLOSED = "case_closed", pgettext_lazy("campaign status", "affaire close")

    slug = models.SlugField(_("adresse"), max_length=60, unique=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status, default=Status.DRAFT)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), max_length=600)
    body = models.TextField(_("texte de la plainte (Markdown)"))
    mandate_text = models.TextField(_("texte du mandat (Markdown)"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation mandataire"), on_delete=models.PROTECT
    )
    authority = models.CharField(_("autorité saisie"), max_length=200)
    authority_address = models.TextField(_("adresse de l'autorité"), blank=True)
    respondent = models.CharField(_("responsable de traitement visé"), max_length=200)
    legal_basis = models.TextField(_("fondement juridique"))
    goal = models.PositiveIntegerField(_("objectif de signatures"))
    opens_at = models.DateTimeField(_("ouverture"))
    closes_at = models.DateTimeField(_("clôture"))
    asks_postal_address = models.BooleanField(_("demander l'adresse postale"), default=False)
    # Steps toward the goal, e.g. [5000, 10000]: the bar shows the next one, not an empty
    # bar toward a far goal.
    milestones = models.JSONField(_("étapes vers l'objectif"), default=list, blank=True)
    # The message offered to signers for sharing, per language code: {"fr": "…", "en": "…"}.
    share_messages = models.JSONField(_("message de partage, par langue"), default=dict, blank=True)
    hero = models.ForeignKey(
        "Picture", null=True, blank=True, related_name="+", on_delete=models.SET_NULL,
        verbose_name=_("image d'en-tête"),
    )  # fmt: skip
    hero_alt = models.CharField(_("description de l'image d'en-tête"), max_length=200, blank=True)
    colour = models.CharField(_("couleur principale"), max_length=7, blank=True)
    language = models.CharField(
        _("langue des textes"),
        max_length=8,
        default="fr",
        help_text=_("Code de langue (BCP 47) dans lequel la plainte et le mandat sont écrits."),
    )
    public_key = models.CharField(
        _("clé publique de scellement"),
        max_length=60,
        blank=True,
        help_text=_("Créée par la commande create_campaign_keys ; la clé privée reste hors ligne."),
    )
    # Confirmed and not withdrawn mandates, kept up to date in the transaction that changes
    # a mandate, so that reading it never counts rows.
    confirmed_count = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("mandats confirmés")
    )
    filed_at = models.DateTimeField(_("déposée le"), null=True, blank=True, editable=False)
    case_closed_at = models.DateTimeField(
        _("affaire close le"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("créée le"))
    # Whether the campaign is an account the fediverse can follow (federation/).
    federation = models.BooleanField(_("suivie depuis le fédivers"), default=True)
    # Last change to what the public page shows besides its texts and count (identity,
    # questions, timeline…): part of the cached page's key, so such a change shows at once.
    changed_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("modifiée le")
    )

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="campaign_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.changed_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("mandates:campaign", args=[self.slug])

    def is_accepting_signatures(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and bool(self.public_key)
            and self.opens_at <= now < self.closes_at
        )

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Cette adresse est réservée par le site.")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("La clôture doit suivre l'ouverture.")})
        steps = self.milestones or []
        if (
            not isinstance(steps, list)
            or not all(
                isinstance(step, int) and not isinstance(step, bool) and step > 0 for step in steps
            )
            or steps != sorted(set(steps))
        ):
            raise ValidationError(
                {"milestones": _("Les étapes sont des nombres entiers positifs, croissants.")}
            )
        if self.status == self.Status.OPEN and not public_key_is_valid(self.public_key):
            raise ValidationError(
                {"status": _("Créez d'abord la clé de la campagne (create_campaign_keys).")}
            )

    @property
    def accent(self) -> str:
        """The campaign's colour, else its organisation's, else none (the site's own);
        none either if it is not a '#rrggbb' readable on white (the admin could set one
        the console would refuse)."""
        colour = self.colour or self.organisation.colour
        if colour and is_hex(colour) and contrast(colour, PAGE) >= AA_TEXT:
            return colour.lower()
        return ""

    @property
    def progress_percent(self) -> int:
        return min(100, self.confirmed_count * 100 // self.goal) if self.goal else 100


class Ground(models.Model):
    campaign = models.ForeignKey(
        Campaign, related_name="grounds", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte (Markdown)"))

    class Meta:
        verbose_name = _("grief")
        verbose_name_plural = _("griefs")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Source(models.Model):
    ground = models.ForeignKey(
        Ground, related_name="sources", on_delete=models.CASCADE, verbose_name=_("moyen")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("titre"), max_length=300)
    publisher = models.CharField(_("éditeur"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("adresse"), max_length=500)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class TextVersion(models.Model):
    """An immutable, published snapshot of a campaign text. `content` is the canonical
    JSON the hash is taken over, so anyone can recompute `sha256` from it (R1.10)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("plainte")
        MANDATE = "mandate", _("mandat")

    campaign = models.ForeignKey(
        Campaign, related_name="versions", on_delete=models.PROTECT, verbose_name=_("campagne")
    )
    kind = models.CharField(max_length=10, choices=Kind, verbose_name=_("type"))
    number = models.PositiveIntegerField(verbose_name=_("numéro"))
    content = models.JSONField(verbose_name=_("contenu"))
    sha256 = models.CharField(max_length=64, verbose_name=_("empreinte SHA-256"))
    published_at = models.DateTimeField(default=timezone.now, verbose_name=_("publiée le"))

    class Meta:
        verbose_name = _("version publiée")
        verbose_name_plural = _("versions publiées")
        ordering = ["campaign", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "number"], name="one_number_per_text_version"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.number} ({self.sha256[:12]})"


class StatusChange(models.Model):
    """Who moved a campaign from one status to the next, and when."""

    campaign = models.ForeignKey(
        Campaign,
        related_name="status_changes",
        on_delete=models.CASCADE,
        verbose_name=_("campagne"),
    )
    from_status = models.CharField(
        max_length=12, choices=Campaign.Status, verbose_name=_("ancien statut")
    )
    to_status = models.CharField(
        max_length=12, choices=Campaign.Status, verbose_name=_("nouveau statut")
    )
    changed_at = models.DateTimeField(default=timezone.now, verbose_name=_("changé le"))
    changed_by = models.CharField(_("par"), max_length=150)

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["campaign", "changed_at"]

    def __str__(self):
        return f"{self.campaign}: {self.from_status} → {self.to_status}"


class ShareCount(models.Model):
    """How many visits and sign-ups came, on one day, through links shared on one channel (their
    `?via=` tag): the organisers' aggregate, kept apart from mandates so that no signer
    is ever linked to a channel."""

    campaign = models.ForeignKey(
        Campaign, related_name="share_counts", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    channel = models.CharField(_("canal"), max_length=20)
    day = models.DateField(_("jour"))
    signatures = models.PositiveIntegerField(_("inscriptions"), default=0)
    # Views of the campaign page through such links (moved here from the cache: visits.py).
    visits = models.PositiveIntegerField(_("visites"), default=0)

    class Meta:
        verbose_name = _("partage compté")
        verbose_name_plural = _("partages comptés")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "day"], name="one_count_per_channel_day"
            )
        ]

    def __str__(self):
        return f"{self.campaign} {self.channel} {self.day}: {self.signatures}"


class Tally(models.Model):
    """How many times one thing happened to a campaign in one hour (sign-ups,
    confirmations, withdrawals, mail outcomes, confirmation delays), counted in the
    transaction where it happens: the organisers' figures are read from a few thousand
    of these rows, never by scanning mandates, and no row names a person."""

    campaign = models.ForeignKey(
        Campaign, related_name="tallies", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    # Hours since 1970-01-01 UTC: a number, which both databases read back without
    # conversion, and which the dashboard turns into local days itself.
    hour = models.BigIntegerField(_("heure"))
    metric = models.CharField(_("mesure"), max_length=24)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("décompte horaire")
        verbose_name_plural = _("décomptes horaires")
        constraints = [
            models.UniqueConstraint(
                # Metric before hour: the dashboard reads a metric's hours, and sums by metric.
                fields=["campaign", "metric", "hour"],
                name="one_tally_per_hour_and_metric",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} h{self.hour} {self.metric}: {self.count}"


class Question(models.Model):
    """A question signers ask, with the organisers' answer: shown on the campaign page in
    the visitor's language when the organisers wrote one in it."""

    campaign = models.ForeignKey(
        Campaign, related_name="questions", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("réponse (Markdown)"), max_length=10_000)

    class Meta:
        verbose_name = _("question fréquente")
        verbose_name_plural = _("questions fréquentes")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.question


class TimelineEvent(models.Model):
    """A step of the case as the public follows it: launched, filed, acknowledged by the
    authority, decided…, written by the organisers."""

    campaign = models.ForeignKey(
        Campaign, related_name="timeline", on_delete=models.CASCADE, verbose_name=_("campagne")
    )
    date = models.DateField(_("date"))
    language = models.CharField(_("langue"), max_length=8, default="fr")
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte (Markdown)"), max_length=10_000, blank=True)
    # When it was written (the fediverse note about it follows this, not `date`).
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("étape de l'affaire")
        verbose_name_plural = _("chronologie de l'affaire")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date}: {self.title}"


class Picture(models.Model):
    """An image organisers uploaded (a logo, a hero image), as re-encoded: its renditions
    hold only pixels (pictures.py)."""

    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, unique=True)
    kind = models.CharField(_("usage"), max_length=8)
    width = models.PositiveIntegerField(_("largeur"))
    height = models.PositiveIntegerField(_("hauteur"))
    alpha = models.BooleanField(_("transparence"), default=False)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return f"{self.kind} {self.sha256[:12]}"


class Rendition(models.Model):
    picture = models.ForeignKey(
        Picture, related_name="renditions", on_delete=models.CASCADE, verbose_name=_("image")
    )
    width = models.PositiveIntegerField(_("largeur"))
    format = models.CharField(_("format"), max_length=5)
    data = models.BinaryField(_("contenu"))

    class Meta:
        verbose_name = _("déclinaison d'image")
        verbose_name_plural = _("déclinaisons d'images")
        constraints = [
            models.UniqueConstraint(
                fields=["picture", "width", "format"], name="one_rendition_per_size_and_format"
            )
        ]

    def __str__(self):
        return f"{self.picture} {self.width}w {self.format}"
