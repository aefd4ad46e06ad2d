from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from recours.campaigns.models import (
    Campaign,
    Ground,
    Organisation,
    Question,
    Source,
    TimelineEvent,
)
from recours.campaigns.pictures import PictureError, prepare
from recours.console.models import Role
from recours.core.colours import AA_TEXT, PAGE, contrast, is_hex
from recours.core.crypto import public_key_is_valid
from recours.core.forms import AccessibleErrorsMixin, clean_text_input
from recours.mandates.forms import IdentityFieldsMixin
from recours.mandates.models import SignerUpdate

# Long enough for any real complaint, short enough that a form cannot fill the database.
MAX_TEXT = 100_000


def https_urls(field, **kwargs):
    """Model fields as form fields, web addresses typed without a scheme taken as https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class ConsoleForm(AccessibleErrorsMixin, forms.Form):
    pass


class ConsoleModelForm(AccessibleErrorsMixin, forms.ModelForm):
    """Every text field is checked for invalid characters. Markdown fields (`markdown`)
    keep their lines as typed, trimmed; the others are normalised (`multiline` ones line
    by line). `max_lengths` sizes the fields the model leaves unbounded."""

    multiline: tuple[str, ...] = ()
    markdown: tuple[str, ...] = ()
    max_lengths: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in self.max_lengths.items():
            self.fields[name].validators.append(MaxLengthValidator(limit))

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if not isinstance(value, str):
                continue
            try:
                if name in self.markdown:
                    text = value.replace("\r\n", "\n")
                    clean_text_input(text, multiline=True)
                    cleaned[name] = text.strip()
                else:
                    cleaned[name] = clean_text_input(value, multiline=name in self.multiline)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


class LoginForm(ConsoleForm):
    username = forms.CharField(label=_("Identifiant ou adresse"), max_length=150)
    password = forms.CharField(
        label=_("Mot de passe"), max_length=200, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class TotpForm(ConsoleForm):
    code = forms.CharField(
        label=_("Code à six chiffres de votre application"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class RecoveryForm(ConsoleForm):
    recovery_code = forms.CharField(
        label=_("Code de secours"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class PasskeyResponseForm(ConsoleForm):
    """What the browser's WebAuthn call returned, as JSON, posted by passkey.js."""

    response = forms.CharField(widget=forms.HiddenInput, max_length=20_000)
    name = forms.CharField(
        label=_("Nom de cette clé (pour la reconnaître)"), max_length=60, required=False
    )


class InvitationForm(ConsoleForm):
    email = forms.EmailField(label=_("Adresse de la personne invitée"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, widget=forms.RadioSelect)


class NewAccountForm(ConsoleForm):
    username = forms.RegexField(
        label=_("Identifiant"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_(
            "Lettres, chiffres et . @ + - _ ; c'est ce que vous taperez pour vous connecter."
        ),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=200,
        help_text=_("Au moins 12 caractères ; une phrase de passe est une bonne idée."),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Cet identifiant est déjà pris."))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            try:
                password_validation.validate_password(
                    cleaned["password"], User(username=cleaned.get("username", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ExistingAccountForm(ConsoleForm):
    password = forms.CharField(
        label=_("Mot de passe de votre compte"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=200,
    )


class OrganisationForm(ConsoleModelForm):
    multiline = ("registered_office", "statutory_object")

    class Meta:
        model = Organisation
        formfield_callback = https_urls
        fields = [
            "name",
            "legal_form",
            "registration_number",
            "registered_office",
            "statutory_object",
            "signatory",
            "website",
            "contact_email",
            "dpo_contact",
        ]
        widgets = {
            "registered_office": forms.Textarea(attrs={"rows": 3}),
            "statutory_object": forms.Textarea(attrs={"rows": 4}),
        }


class NewCampaignForm(ConsoleModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "slug", "language"]


class ComplaintForm(ConsoleModelForm):
    multiline = ("authority_address",)
    markdown = ("body", "legal_basis", "summary")
    max_lengths = {"body": MAX_TEXT, "legal_basis": MAX_TEXT}  # the summary's is the model's

    class Meta:
        model = Campaign
        fields = [
            "title",
            "summary",
            "body",
            "legal_basis",
            "authority",
            "authority_address",
            "respondent",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18}),
            "legal_basis": forms.Textarea(attrs={"rows": 5}),
            "authority_address": forms.Textarea(attrs={"rows": 3}),
        }


class MandateTextForm(ConsoleModelForm):
    markdown = ("mandate_text",)
    max_lengths = {"mandate_text": MAX_TEXT}

    class Meta:
        model = Campaign
        fields = ["mandate_text", "asks_postal_address"]
        widgets = {"mandate_text": forms.Textarea(attrs={"rows": 14})}


class GroundForm(ConsoleModelForm):
    markdown = ("text",)
    max_lengths = {"text": MAX_TEXT}

    class Meta:
        model = Ground
        fields = ["position", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}


class SourceForm(ConsoleModelForm):
    class Meta:
        model = Source
        formfield_callback = https_urls
        fields = ["position", "title", "publisher", "date", "url"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


SourceFormSet = forms.inlineformset_factory(
    Ground, Source, form=SourceForm, extra=2, can_delete=True, max_num=50, validate_max=True
)


class CalendarForm(ConsoleModelForm):
    milestones_text = forms.CharField(
        label=_("Étapes vers l'objectif"),
        required=False,
        max_length=200,
        help_text=_("Des nombres croissants séparés par des virgules, par exemple 1000, 5000."),
    )
    share_fr = forms.CharField(
        label=_("Message de partage en français"), required=False, max_length=280
    )
    share_en = forms.CharField(
        label=_("Message de partage en anglais"), required=False, max_length=280
    )

    class Meta:
        model = Campaign
        fields = ["goal", "opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance
        self.fields["goal"].min_value = 1
        self.fields["goal"].widget.attrs["min"] = 1
        self.fields["goal"].validators.append(MinValueValidator(1))
        self.fields["milestones_text"].initial = ", ".join(map(str, campaign.milestones or []))
        self.fields["share_fr"].initial = (campaign.share_messages or {}).get("fr", "")
        self.fields["share_en"].initial = (campaign.share_messages or {}).get("en", "")

    def clean_milestones_text(self):
        raw = [part.strip() for part in self.cleaned_data["milestones_text"].split(",")]
        try:
            steps = [int(part) for part in raw if part]
        except ValueError:
            raise forms.ValidationError(
                _("Écrivez des nombres entiers séparés par des virgules.")
            ) from None
        if any(step <= 0 for step in steps) or steps != sorted(set(steps)):
            raise forms.ValidationError(
                _("Les étapes sont des nombres entiers positifs, croissants.")
            )
        return steps

    def clean(self):
        cleaned = super().clean()
        # Dates in the wrong order are the model's own check (Campaign.clean).
        goal, steps = cleaned.get("goal"), cleaned.get("milestones_text")
        if goal and steps and steps[-1] > goal:
            self.add_error("milestones_text", _("Les étapes ne dépassent pas l'objectif."))
        return cleaned

    def save(self, commit=True):
        campaign = super().save(commit=False)
        campaign.milestones = self.cleaned_data["milestones_text"]
        messages = {
            code: self.cleaned_data[f"share_{code}"]
            for code in ("fr", "en")
            if self.cleaned_data[f"share_{code}"]
        }
        campaign.share_messages = messages
        if commit:
            campaign.save()
        return campaign


class PublicKeyForm(ConsoleForm):
    public_key = forms.CharField(
        label=_("Clé publique de la campagne"),
        max_length=200,
        help_text=_(
            "La ligne « public key » affichée par create_campaign_keys : 44 caractères en base64."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_public_key(self):
        value = "".join(self.cleaned_data["public_key"].split())
        if not public_key_is_valid(value):
            raise forms.ValidationError(
                _(
                    "Ce n'est pas une clé publique : il faut 32 octets écrits en base64 "
                    "(44 caractères, par exemple « q0k…= »). Ne collez jamais la clé privée ici."
                )
            )
        return value


class ConfirmForm(ConsoleForm):
    confirm = forms.BooleanField(label=_("J'ai lu ce que fait cette étape et je la confirme"))


class NewsForm(ConsoleModelForm):
    markdown = ("body",)
    max_lengths = {"body": 20_000}

    class Meta:
        model = SignerUpdate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z"


class _EntryForm(ConsoleModelForm):
    """A FAQ entry or a timeline step: a language tag, a title, a Markdown text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"] = forms.RegexField(
            label=_("Langue (code)"), regex=LANGUAGE_TAG, max_length=8,
            initial=self.fields["language"].initial,
            help_text=_("fr, en, de… : la page la montre aux visiteurs qui lisent cette langue."),
            error_messages={"invalid": _("Un code de langue comme fr, en ou pt-BR.")},
        )  # fmt: skip


class QuestionForm(_EntryForm):
    markdown = ("answer",)

    class Meta:
        model = Question
        fields = ["position", "language", "question", "answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 4})}


class TimelineEventForm(_EntryForm):
    markdown = ("text",)

    class Meta:
        model = TimelineEvent
        fields = ["date", "language", "title", "text"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }


QuestionFormSet = forms.modelformset_factory(
    Question, form=QuestionForm, extra=1, can_delete=True, max_num=60, validate_max=True
)
TimelineFormSet = forms.modelformset_factory(
    TimelineEvent, form=TimelineEventForm, extra=1, can_delete=True, max_num=60, validate_max=True
)


class IdentityForm(ConsoleForm):
    """The organisation's logo and colour, the campaign's hero image and colour. Images
    are checked and re-encoded here (campaigns/pictures.py); a colour must keep 4.5:1
    against the page, for links on white and white text on buttons alike."""

    logo = forms.FileField(label=_("Logo de l'organisation (PNG, JPEG ou WebP)"), required=False)
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)
    organisation_colour = forms.CharField(
        label=_("Couleur de l'organisation"), required=False, max_length=100,
        help_text=_("En hexadécimal, par exemple #8c1c13 ; vide : la couleur du site."),
    )  # fmt: skip
    hero = forms.FileField(label=_("Image d'en-tête de la campagne"), required=False)
    hero_alt = forms.CharField(
        label=_("Ce que montre l'image, en quelques mots"), required=False, max_length=200
    )
    remove_hero = forms.BooleanField(label=_("Retirer l'image d'en-tête"), required=False)
    colour = forms.CharField(
        label=_("Couleur de la campagne"), required=False, max_length=100,
        help_text=_("Vide : celle de l'organisation."),
    )  # fmt: skip

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["organisation_colour"].initial = campaign.organisation.colour
        self.fields["colour"].initial = campaign.colour
        self.fields["hero_alt"].initial = campaign.hero_alt
        for name in ("organisation_colour", "colour"):
            self.fields[name].widget.attrs.update({"placeholder": "#8c1c13", "spellcheck": "false"})

    def _colour(self, name):
        value = self.cleaned_data[name].strip().lower()
        if not value:
            return ""
        if not is_hex(value):
            raise forms.ValidationError(
                _("Une couleur s'écrit # suivi de six chiffres hexadécimaux, par exemple #8c1c13.")
            )
        ratio = contrast(value, PAGE)
        if ratio < AA_TEXT:
            raise forms.ValidationError(
                _("Cette couleur n'a qu'un contraste de %(ratio)s:1 avec le fond blanc ; il faut "
                  "au moins 4,5:1 (WCAG AA). Essayez une teinte plus foncée.")
                % {"ratio": number_format(round(ratio, 1), 1)}
            )  # fmt: skip
        return value

    def clean_organisation_colour(self):
        return self._colour("organisation_colour")

    def clean_colour(self):
        return self._colour("colour")

    def _picture(self, name, kind):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        try:
            return prepare(upload.read(), kind)
        except PictureError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_logo(self):
        return self._picture("logo", "logo")

    def clean_hero(self):
        return self._picture("hero", "hero")

    def clean_hero_alt(self):
        return clean_text_input(self.cleaned_data["hero_alt"])

    def clean(self):
        cleaned = super().clean()
        keeps_hero = self.campaign.hero_id and not cleaned.get("remove_hero")
        if (cleaned.get("hero") or keeps_hero) and not cleaned.get("hero_alt"):
            self.add_error(
                "hero_alt", _("Décrivez l'image en quelques mots, pour qui ne la voit pas.")
            )
        return cleaned


class PaperMandateForm(IdentityFieldsMixin, ConsoleForm):
    """A signed paper form, typed in by an organiser from the sheet in front of them. The
    scan's own checks, the date's range and deduplication are the domain's (paper.py)."""

    texts = forms.ChoiceField(
        label=_("Version imprimée sur le formulaire"),
        help_text=_("Le code en bas du formulaire, par exemple P1-M1."),
    )
    surname = forms.CharField(label=_("Nom"), max_length=150)
    given_names = forms.CharField(label=_("Prénom(s)"), max_length=150)
    postal_address = forms.CharField(
        label=_("Adresse postale"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.EmailField(
        label=_("Adresse e-mail, si elle est écrite"),
        max_length=254,
        required=False,
        help_text=_("Elle reçoit le lien pour retirer le mandat, puis est effacée."),
    )
    signed_on = forms.DateField(
        label=_("Date de signature écrite sur le formulaire"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.ChoiceField(
        label=_("Langue du message au signataire"), choices=settings.LANGUAGES
    )
    scan = forms.FileField(
        label=_("Scan du formulaire signé (PDF, PNG ou JPEG)"),
        help_text=_("Toutes ses pages ; il est scellé avec l'identité et joint au dossier."),
    )
    checked = forms.BooleanField(
        label=_(
            "J'ai vérifié que le formulaire est signé, daté, et que son texte est celui de la "
            "version choisie."
        )
    )

    def __init__(self, *args, campaign, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = {f"{p.complaint.pk}-{p.mandate.pk}": p for p in pairs}
        self.fields["texts"].choices = [
            (
                value,
                _("%(code)s, en vigueur depuis le %(date)s (mandat %(hash)s…)")
                % {
                    "code": pair.code,
                    "date": pair.published_on.strftime("%d/%m/%Y"),
                    "hash": pair.mandate.sha256[:12],
                },
            )
            for value, pair in self.pairs.items()
        ]
        self.fields["language"].initial = campaign.language
        if not campaign.asks_postal_address:
            self.fields["postal_address"].required = False
            self.fields["postal_address"].help_text = _(
                "Facultative : elle aide à repérer un même signataire saisi deux fois."
            )

    def clean_texts(self):
        return self.pairs[self.cleaned_data["texts"]]

    def clean_email(self):
        return clean_text_input(self.cleaned_data["email"])

    def clean_scan(self):
        # Its size, type and pages are the domain's to check (paper.check_scan).
        upload = self.cleaned_data["scan"]
        upload.seek(0)
        return upload.read()


class FederationForm(ConsoleForm):
    federation = forms.BooleanField(
        label=_("Le compte de la campagne sur le fédivers publie et peut être suivi"),
        required=False,
    )
