import hashlib
import io
import zipfile
import zlib
from datetime import date

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from recours.core.forms import AccessibleErrorsMixin, clean_text_input
from recours.observatory.cada import DOCUMENTS
from recours.observatory.measures import MEASURES
from recours.observatory.models import Claim, Lead
from recours.observatory.scrub import TooLarge, Unreadable, read_entry, without_metadata

# What a lead's attachment may be, told by its first bytes, never by its name alone.
ATTACHMENT_TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "text/plain": (".txt", ".csv"),
}


TOO_LARGE_UNPACKED = _(
    "Ce fichier est trop grand une fois décompressé (ou son image a trop de pixels) : "
    "envoyez-en une version plus légère."
)


def sniff(head: bytes, whole) -> str | None:
    """The type of a file from its content, among ATTACHMENT_TYPES; None otherwise.
    Raises TooLarge for an archive whose "mimetype" entry unpacks into too much."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(whole) as archive:
                mimetype = read_entry(archive, "mimetype", 200).decode("ascii").strip()
        except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError, zlib.error,
                NotImplementedError, EOFError, RuntimeError):  # fmt: skip
            return None
        return mimetype if mimetype in ATTACHMENT_TYPES else None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multibyte character cut at the end of the sample is still text.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if "\x00" in text:
        return None
    return "text/plain"


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Commune, département ou code postal"), max_length=100, required=False
    )

    def clean_q(self):
        return clean_text_input(self.cleaned_data["q"])


class MeasureForm(forms.Form):
    mesure = forms.ChoiceField(
        label=_("Colorier les communes selon"), choices=list(MEASURES.items()), required=False
    )


class LeadForm(AccessibleErrorsMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("adresse d'une source"), max_length=1000, required=False, assume_scheme="https"
    )
    # Not a model field: the lead stores it encrypted (Lead.contact).
    contact = forms.EmailField(
        label=_("adresse pour vous recontacter"),
        max_length=254,
        required=False,
        help_text=_(
            "Facultatif. Laissez vide pour rester anonyme : nous n'enregistrons pas votre "
            "adresse IP."
        ),
    )
    attachment = forms.FileField(
        label=_("Un document (facultatif)"),
        required=False,
        help_text=_(
            "PDF, image PNG ou JPEG, OpenDocument ou texte ; %(size)s au plus. Nous retirons "
            "des photos le lieu, l'heure et l'appareil qu'elles enregistrent, et des "
            "documents OpenDocument leur auteur et leurs dates. Un PDF peut contenir le nom "
            "de son auteur : retirez-le si vous voulez rester anonyme."
        ),
    )

    class Meta:
        model = Lead
        fields = ["place_text", "technology", "description", "url"]
        help_texts = {
            "description": _(
                "Ce qui est installé ou prévu, où, depuis quand, qui l'exploite, d'où vous le "
                "savez."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text %= {
            "size": filesizeformat(settings.OBSERVATORY_ATTACHMENT_MAX_SIZE)
        }
        self.fields["technology"].choices = [("", _("Je ne sais pas"))] + list(
            Claim.Technology.choices
        )
        description = self.fields["description"]
        description.max_length = 5000
        description.validators.append(MaxLengthValidator(5000))
        description.widget.attrs["maxlength"] = "5000"

    def clean_place_text(self):
        return clean_text_input(self.cleaned_data["place_text"])

    def clean_description(self):
        return clean_text_input(self.cleaned_data["description"], multiline=True)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if upload.size > settings.OBSERVATORY_ATTACHMENT_MAX_SIZE:
            raise forms.ValidationError(
                _("Ce fichier dépasse %(size)s."),
                code="too_large",
                params={"size": filesizeformat(settings.OBSERVATORY_ATTACHMENT_MAX_SIZE)},
            )
        upload.seek(0)
        content = upload.read()
        try:
            kind = sniff(content[:4096], io.BytesIO(content))
        except TooLarge:
            raise forms.ValidationError(TOO_LARGE_UNPACKED, code="too_large_unpacked") from None
        name = upload.name.lower()
        if kind is None or not name.endswith(ATTACHMENT_TYPES[kind]):
            raise forms.ValidationError(
                _(
                    "Ce type de fichier n'est pas accepté, ou son contenu ne correspond pas à "
                    "son nom. Formats acceptés : PDF, PNG, JPEG, OpenDocument, texte."
                ),
                code="bad_type",
            )
        try:
            content = without_metadata(kind, content)
        except TooLarge:
            raise forms.ValidationError(TOO_LARGE_UNPACKED, code="too_large_unpacked") from None
        except Unreadable:
            raise forms.ValidationError(
                _("Ce fichier est illisible : il semble tronqué ou abîmé."),
                code="unreadable",
            ) from None
        self.attachment_info = (kind, hashlib.sha256(content).hexdigest())
        return ContentFile(content, name=upload.name)

    def save(self, commit=True):
        lead = super().save(commit=False)
        upload = self.cleaned_data.get("attachment")
        if upload:
            lead.attachment_type, lead.attachment_sha256 = self.attachment_info
            lead.attachment = upload
        if commit:
            lead.save()
        return lead


class DocumentRequestLetterForm(AccessibleErrorsMixin, forms.Form):
    documents = forms.MultipleChoiceField(
        label=_("Documents demandés"),
        choices=[(key, label) for key, (label, _text) in DOCUMENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        initial=list(DOCUMENTS),
    )
    name = forms.CharField(label=_("Vos nom et prénom (ou votre association)"), max_length=150)
    address = forms.CharField(
        label=_("Votre adresse postale"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        required=False,
        help_text=_("Facultatif : pour recevoir les documents par courriel."),
    )
    letter_place = forms.CharField(label=_("Lettre écrite à"), max_length=100)
    letter_date = forms.DateField(
        label=_("Date de la lettre"),
        # A date input reads ISO dates only, whatever the page's language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=date.today,
    )

    def clean_name(self):
        return clean_text_input(self.cleaned_data["name"])

    def clean_address(self):
        return clean_text_input(self.cleaned_data["address"], multiline=True)

    def clean_letter_place(self):
        return clean_text_input(self.cleaned_data["letter_place"])
