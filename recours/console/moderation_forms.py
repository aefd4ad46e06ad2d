"""Moderators' forms: a claim whose place and vendor are chosen by searching, never from a
list of every commune; a source for a claim; a document request's follow-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from recours.console.forms import ConsoleForm, ConsoleModelForm, https_urls
from recours.observatory.models import Claim, DocumentRequest, Evidence, Place, Vendor
from recours.observatory.place_search import search_places

RESULTS = 10


class SearchChoiceField(forms.ModelChoiceField):
    """A choice among the few rows a search found (and the one already chosen)."""

    widget = forms.RadioSelect

    def label_from_instance(self, obj):
        if isinstance(obj, Place):
            return f"{obj.name} ({obj.code})"
        return str(obj)


def place_choices(query: str, chosen_id) -> list[int]:
    found = (
        list(search_places(Place.objects.all(), query).values_list("pk", flat=True)[:RESULTS])
        if query
        else []
    )
    return found + ([int(chosen_id)] if str(chosen_id or "").isdigit() else [])


def vendor_choices(query: str, chosen_id) -> list[int]:
    found = (
        list(
            Vendor.objects.filter(name__icontains=query)
            .order_by("name")
            .values_list("pk", flat=True)[:RESULTS]
        )
        if query
        else []
    )
    return found + ([int(chosen_id)] if str(chosen_id or "").isdigit() else [])


class ClaimForm(ConsoleModelForm):
    """`place_query` and `vendor_query` narrow the choices; the page's search buttons send
    the form back with them and nothing is saved until "save"."""

    multiline = ("summary",)
    place_query = forms.CharField(label=_("Chercher une commune"), required=False, max_length=100)
    vendor_query = forms.CharField(
        label=_("Chercher un fournisseur"), required=False, max_length=100
    )

    class Meta:
        model = Claim
        fields = [
            "place", "technology", "vendor", "operator", "status", "confidence",
            "started_on", "ended_on", "quantity", "summary",
        ]  # fmt: skip
        field_classes = {"place": SearchChoiceField, "vendor": SearchChoiceField}
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else {}
        place_id = data.get("place") or self.initial.get("place") or self.instance.place_id
        vendor_id = data.get("vendor") or self.initial.get("vendor") or self.instance.vendor_id
        place_query = data.get("place_query") or self.initial.get("place_query", "")
        vendor_query = data.get("vendor_query") or self.initial.get("vendor_query", "")
        self.fields["place"].queryset = Place.objects.filter(
            pk__in=place_choices(place_query, place_id)
        ).order_by("name")
        self.fields["vendor"].queryset = Vendor.objects.filter(
            pk__in=vendor_choices(vendor_query, vendor_id)
        ).order_by("name")
        self.fields["vendor"].required = False
        self.fields["vendor"].empty_label = _("aucun ou inconnu")
        self.fields["place"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("La date de fin précède la date de début."))
        return cleaned


class EvidenceForm(ConsoleModelForm):
    class Meta:
        model = Evidence
        formfield_callback = https_urls
        fields = ["kind", "title", "publisher", "published_on", "url"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("title"):
            raise forms.ValidationError(_("Une source a au moins un titre ou une adresse."))
        return cleaned


class RejectForm(ConsoleForm):
    note = forms.CharField(
        label=_("Raison (pour la modération seulement)"), required=False, max_length=500
    )


class DocumentRequestForm(ConsoleModelForm):
    class Meta:
        model = DocumentRequest
        fields = [
            "status", "answered_on", "refused_on", "referred_on", "cada_number",
            "opinion_on", "opinion", "answer", "notes",
        ]  # fmt: skip
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("answered_on", "refused_on", "referred_on", "opinion_on")
        } | {"notes": forms.Textarea(attrs={"rows": 3})}

    multiline = ("notes",)


class AnswerAsEvidenceForm(ConsoleForm):
    claim = forms.ModelChoiceField(
        label=_("Fiche que cette réponse documente"),
        queryset=Claim.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, place=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].queryset = Claim.objects.filter(place=place).order_by("technology")
