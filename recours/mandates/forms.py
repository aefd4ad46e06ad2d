import base64
import copy
import functools
import hashlib
import hmac
import re
import secrets
import time

from django import forms
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from recours.core.forms import AccessibleErrorsMixin, clean_text_input
from recours.mandates.identity import SignerIdentity, is_disposable

# Letters and combining marks of any script, spaces, apostrophes, hyphens and dots.
NAME_PATTERN = re.compile(r"^(?:[^\W\d_]|[\u0300-\u036f '’\-.])+$")
MIN_FILL_SECONDS = 2
MAX_FORM_AGE_SECONDS = 24 * 3600
FORM_CLOCK_SALT = "recours.mandates.sign-form-clock"


def form_clock(at: float | None = None, key: str | None = None) -> str:
    """A signed stamp put in the form when it is shown: its time tells human speed, its
    random key makes the submission idempotent (a client retrying after a time-out
    submits the same key, and the second submission changes nothing). Every view of the
    campaign page makes one: an HMAC with a key derived once, where Django's signing
    (JSON, base64, a key derived on each call) cost three times as much."""
    payload = f"{time.time() if at is None else at:.3f}:{key or secrets.token_urlsafe(16)}"
    return f"{payload}:{_clock_mac(payload, settings.SECRET_KEY)}"


def read_clock(value: str) -> dict | None:
    """The stamp's time ("t") and key ("k"), if this site signed it (with its current
    secret key or one of its fallbacks); else None."""
    at, _, rest = value.partition(":")
    key, _, mac = rest.partition(":")
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if hmac.compare_digest(mac, _clock_mac(f"{at}:{key}", secret)):
            return {"t": float(at), "k": key}
    return None


def _clock_mac(payload: str, secret: str) -> str:
    digest = hmac.new(_clock_key(secret), payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@functools.cache
def _clock_key(secret: str) -> bytes:
    return salted_hmac(FORM_CLOCK_SALT, "key", secret=secret).digest()


class IdentityFieldsMixin:
    """The checks of a mandator's name and postal address, wherever they are typed: the
    sign form, and an organiser's entry of a paper mandate."""

    def clean_given_names(self):
        return self._clean_name("given_names")

    def clean_surname(self):
        return self._clean_name("surname")

    def _clean_name(self, field: str) -> str:
        value = clean_text_input(self.cleaned_data[field])
        if not NAME_PATTERN.match(value):
            raise forms.ValidationError(
                _(
                    "Utilisez seulement des lettres, des espaces, des apostrophes, des traits "
                    "d'union et des points."
                ),
                code="invalid_name",
            )
        return value

    def clean_postal_address(self):
        value = clean_text_input(self.cleaned_data["postal_address"], multiline=True)
        if "<" in value or ">" in value:
            raise forms.ValidationError(
                _("Ce champ contient des caractères invalides."), code="invalid_characters"
            )
        if value.count("\n") > 5:
            raise forms.ValidationError(_("Six lignes au plus."), code="too_many_lines")
        return value


class _LentFields(dict):
    """A form class's fields lent to one form as they are: the copy Django's form makes
    of them is a new dict of the same fields."""

    def __deepcopy__(self, memo):
        return dict(self)


class SignForm(IdentityFieldsMixin, AccessibleErrorsMixin, forms.Form):
    given_names = forms.CharField(
        label=_("Prénom(s)"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    surname = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        help_text=_("Nous vous écrirons pour confirmer votre mandat."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postal_address = forms.CharField(
        label=_("Adresse postale"),
        max_length=500,
        widget=forms.Textarea(attrs={"autocomplete": "street-address", "rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("Je donne mandat à l'organisation pour agir en mon nom, selon le texte ci-dessus."),
    )
    privacy = forms.BooleanField(
        label=_("J'ai lu la notice d'information sur mes données personnelles."),
    )
    newsletter = forms.BooleanField(
        label=_("Je souhaite recevoir les nouvelles de l'organisation (facultatif)."),
        required=False,
    )
    contact_updates = forms.BooleanField(
        label=_(
            "Je souhaite être informé·e par e-mail des suites de la plainte (dépôt, réponse, "
            "décision). Pour cela, mon adresse est aussi chiffrée avec une clé que le serveur "
            "détient (facultatif)."
        ),
        required=False,
    )
    # Left empty by people (it is hidden from them); bots fill it in.
    website = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    clock = forms.CharField(widget=forms.HiddenInput)
    complaint_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    mandate_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The channel the visitor's link came through (?via=): counted per day, never stored
    # with the mandate (campaigns/sharing.py).
    via = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, data=None, *args, asks_postal_address: bool, **kwargs):
        if data is not None:
            # A sent form is checked, then rendered only in error: it borrows the class's
            # fields, where Django deep-copies every field for each form (a third of the
            # sign request's form work). _post_clean gives it copies before marking any.
            self.base_fields = _LentFields(type(self).base_fields)
        super().__init__(data, *args, **kwargs)
        if not asks_postal_address:
            del self.fields["postal_address"]
        if not settings.CONTACT_KEY:
            del self.fields["contact_updates"]

    def _post_clean(self):
        if self._errors and isinstance(self.base_fields, _LentFields):
            self.fields = {name: copy.deepcopy(field) for name, field in self.fields.items()}
            self._bound_fields_cache = {}
        super()._post_clean()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_email(self):
        value = clean_text_input(self.cleaned_data["email"])
        if is_disposable(value):
            raise forms.ValidationError(
                _(
                    "Les adresses jetables ne sont pas acceptées : pendant toute la procédure, "
                    "nous devons pouvoir vous écrire. Utilisez une adresse que vous gardez."
                ),
                code="disposable",
            )
        return value

    def clean_clock(self):
        started = read_clock(self.cleaned_data["clock"])
        if started is None or time.time() - started["t"] > MAX_FORM_AGE_SECONDS:
            raise forms.ValidationError(
                _("Ce formulaire a expiré. Vérifiez vos informations et envoyez-le à nouveau."),
                code="stale_form",
            )
        if time.time() - started["t"] < MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _(
                    "Formulaire envoyé trop vite. Vérifiez vos informations et envoyez-le à nouveau."
                ),
                code="too_fast",
            )
        return started

    @property
    def submission_key(self) -> str:
        return self.cleaned_data["clock"]["k"]

    def identity(self) -> SignerIdentity:
        data = self.cleaned_data
        return SignerIdentity(
            given_names=data["given_names"],
            surname=data["surname"],
            email=data["email"],
            postal_address=data.get("postal_address", ""),
            newsletter=data["newsletter"],
            contact_updates=data.get("contact_updates", False),
        )


class ReceiptForm(AccessibleErrorsMixin, forms.Form):
    """A signer's receipt: the commitment and position shown when they confirmed."""

    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=10**9)
    commitment = forms.RegexField(
        label=_("Engagement"),
        regex=r"^[0-9a-f]{64}$",
        max_length=64,
        error_messages={"invalid": _("64 caractères hexadécimaux (0-9, a-f).")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_commitment(self):
        return self.cleaned_data["commitment"].lower()


class RightsRequestForm(AccessibleErrorsMixin, forms.Form):
    """A signer's request to the organisers, who alone can open their sealed record."""

    KINDS = [
        ("access", _("Recevoir une copie de mes données")),
        ("rectification", _("Corriger mes données")),
        ("erasure", _("Effacer mes données")),
        ("other", _("Autre question")),
    ]
    kind = forms.ChoiceField(label=_("Ma demande"), choices=KINDS, widget=forms.RadioSelect)
    email = forms.EmailField(
        label=_("Adresse où recevoir la réponse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_email(self):
        return clean_text_input(self.cleaned_data["email"])

    def clean_message(self):
        return clean_text_input(self.cleaned_data["message"], multiline=True)
