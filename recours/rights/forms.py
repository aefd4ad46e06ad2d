from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recours.core.forms import AccessibleErrorsMixin, clean_text_input
from recours.rights.procedures import PROCEDURES

CAPACITY = [("mis_en_cause", _("Mis·e en cause (suspecté·e)")), ("victime", _("Victime"))]
OUTCOMES = [
    ("relaxe", _("Relaxe (tribunal correctionnel ou de police)")),
    ("acquittement", _("Acquittement (cour d'assises)")),
    ("non_lieu", _("Non-lieu (fin de l'instruction)")),
    ("classement", _("Classement sans suite par le procureur")),
    ("dispense", _("Dispense de peine ou de mention au casier judiciaire")),
    (
        "casier_vierge",
        _("Condamnation, mais le bulletin n° 2 de mon casier est aujourd'hui vierge"),
    ),
    ("requalification", _("Les faits ont été requalifiés")),
]
REQUESTS = [
    ("effacement", _("L'effacement des données me concernant")),
    ("rectification", _("La rectification des données inexactes")),
    (
        "mention",
        _("Une mention de la décision (qui empêche l'usage lors des enquêtes administratives)"),
    ),
]
REFUSALS = [
    ("silence", _("Pas de réponse après deux mois")),
    ("refus", _("Un refus")),
    ("restriction", _("Une réponse incomplète ou restreinte")),
]
TES_REQUESTS = [
    ("acces", _("Accéder aux données (photo, empreintes, état civil)")),
    ("rectification", _("Faire rectifier des données inexactes")),
    ("empreintes", _("Faire effacer mes empreintes digitales (carte d'identité)")),
]
REFUSAL_KINDS = [
    ("explicite", _("J'ai reçu un refus écrit")),
    ("implicite", _("Je n'ai reçu aucune réponse en deux mois (le silence vaut refus)")),
]


def _text(label, max_length=200, required=True, help_text="", **attrs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def _date(label, help_text="", required=True):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class LetterForm(AccessibleErrorsMixin, forms.Form):
    surname = _text(_("Nom"), 150, autocomplete="family-name")
    given_names = _text(_("Prénom(s)"), 150, autocomplete="given-name")
    birth_name = _text(_("Nom de naissance, s'il est différent"), 150, required=False)
    birth_date = _date(_("Date de naissance"))
    birth_place = _text(_("Lieu de naissance"), 150, help_text=_("Commune et pays."))
    address = forms.CharField(
        label=_("Adresse postale"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("La réponse vous sera envoyée à cette adresse."),
    )
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254, required=False)
    phone = _text(_("Téléphone"), 30, required=False, autocomplete="tel")
    capacity = forms.ChoiceField(
        label=_("À quel titre pensez-vous être inscrit·e ?"),
        choices=CAPACITY,
        widget=forms.RadioSelect,
    )
    case_date = _date(_("Date des faits"), required=False)
    case_place = _text(_("Lieu des faits"), 150, required=False)
    case_unit = _text(
        _("Service de police ou unité de gendarmerie"),
        200,
        required=False,
        help_text=_("Celui qui vous a entendu·e, s'il est connu."),
    )
    case_reference = _text(
        _("Référence de la procédure"),
        100,
        required=False,
        help_text=_("Numéro de procès-verbal ou numéro de parquet, s'il est connu."),
    )
    offence = _text(_("Infraction reprochée"), 200, required=False)
    outcome = forms.ChoiceField(
        label=_("Comment l'affaire s'est-elle terminée ?"),
        choices=OUTCOMES,
        widget=forms.RadioSelect,
    )
    decision_date = _date(_("Date de la décision"), _("Ou du bulletin n° 2 vierge."))
    decision_court = _text(
        _("Juridiction ou autorité qui a décidé"),
        200,
        help_text=_("Par exemple : tribunal correctionnel de Lyon, parquet de Lille."),
    )
    court_city = _text(
        _("Ville du tribunal judiciaire qui a traité l'affaire"),
        100,
        help_text=_("La demande va au procureur de ce tribunal."),
    )
    use_referent = forms.BooleanField(
        label=_(
            "Plusieurs tribunaux sont concernés : demander au procureur de transmettre la "
            "lettre au magistrat référent"
        ),
        required=False,
    )
    request = forms.ChoiceField(
        label=_("Que demandez-vous ?"), choices=REQUESTS, widget=forms.RadioSelect
    )
    grounds = forms.CharField(
        label=_("Vos raisons (facultatif)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Par exemple : un emploi qui exige une enquête administrative, l'ancienneté des "
            "faits, votre situation. N'écrivez que ce que vous acceptez que l'autorité lise."
        ),
    )
    first_request_date = _date(_("Date de votre demande au ministère"))
    refusal = forms.ChoiceField(
        label=_("Qu'avez-vous obtenu ?"), choices=REFUSALS, widget=forms.RadioSelect
    )
    refusal_kind = forms.ChoiceField(
        label=_("Quelle réponse à votre demande ?"), choices=REFUSAL_KINDS, widget=forms.RadioSelect
    )
    contested_date = _date(
        _("Date d'envoi du refus"),
        _("La date du courrier de refus : le mois pour agir court à partir de son envoi."),
        required=False,
    )
    request_date = _date(
        _("Date d'envoi de votre demande"),
        _("Si vous n'avez reçu aucune réponse : deux mois après, le silence vaut refus."),
        required=False,
    )
    appeal_city = _text(
        _("Ville de la cour d'appel"),
        100,
        help_text=_("Celle dont relève le tribunal judiciaire."),
    )
    tes_request = forms.ChoiceField(
        label=_("Que demandez-vous ?"), choices=TES_REQUESTS, widget=forms.RadioSelect
    )
    video_commune = _text(_("Commune où vous avez été filmé·e"), 100)
    video_controller = forms.CharField(
        label=_("Responsable indiqué sur le panneau, s'il n'est pas le maire (facultatif)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Son nom et son adresse, tels que le panneau les donne."),
    )
    video_place = _text(
        _("Où étiez-vous ?"),
        200,
        help_text=_("Par exemple : place de la République, devant la mairie."),
    )
    video_date = _date(_("Date à laquelle vous avez été filmé·e"))
    video_times = _text(
        _("Heures (facultatif)"),
        100,
        required=False,
        help_text=_("Par exemple : entre 17 h 30 et 18 h."),
    )
    video_description = _text(
        _("Ce qui permet de vous reconnaître (facultatif)"),
        300,
        required=False,
        help_text=_("Par exemple : manteau rouge, vélo, accompagné·e d'un enfant."),
    )
    letter_date = _date(_("Date de la lettre"))
    letter_place = _text(_("Fait à (ville)"), 100)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.procedure = PROCEDURES[kind]
        for name in list(self.fields):
            if name not in self.procedure.fields:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                try:
                    data[name] = clean_text_input(
                        value, multiline=name in {"address", "grounds", "video_controller"}
                    )
                except forms.ValidationError as error:
                    self.add_error(name, error)
        today = timezone.localdate()
        letter_date = data.get("letter_date")
        past_dates = (
            "birth_date",
            "case_date",
            "decision_date",
            "first_request_date",
            "contested_date",
            "request_date",
            "video_date",
        )
        for name in past_dates:
            value = data.get(name)
            if value and value > today:
                self.add_error(name, _("Cette date est dans le futur."))
            if value and value < date(1900, 1, 1):
                self.add_error(name, _("Cette date est trop ancienne."))
        if letter_date and letter_date > today + timedelta(days=60):
            self.add_error(
                "letter_date", _("Datez la lettre d'aujourd'hui ou de ces prochains jours.")
            )
        for name, message in (
            ("decision_date", _("La lettre ne peut pas être datée d'avant la décision.")),
            (
                "first_request_date",
                _("La lettre ne peut pas être datée d'avant votre première demande."),
            ),
            (
                "contested_date",
                _("La lettre ne peut pas être datée d'avant la décision contestée."),
            ),
            ("request_date", _("La lettre ne peut pas être datée d'avant votre demande.")),
        ):
            value = data.get(name)
            if value and letter_date and letter_date < value:
                self.add_error("letter_date", message)
        birth = data.get("birth_date")
        for name in ("case_date", "decision_date"):
            value = data.get(name)
            if birth and value and value < birth:
                self.add_error(name, _("Cette date précède votre naissance."))
        for rule in self.procedure.rules:
            for name, message in rule(data):
                self.add_error(name, message)
        return data


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Phrase de passe"),
        min_length=10,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Dix caractères au moins. Sans elle, personne (nous non plus) ne peut rouvrir le fichier."
        ),
    )


class LoadForm(forms.Form):
    file = forms.FileField(label=_("Fichier de sauvegarde (.recours)"))
    passphrase = forms.CharField(
        label=_("Phrase de passe"), max_length=200, strip=False, widget=forms.PasswordInput
    )
