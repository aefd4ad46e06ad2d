"""Requests for administrative documents to a commune (code des relations entre le public
et l'administration, book III), their letter and their deadlines.

The procedure, as the CADA describes it:
- the administration has one month from receipt to answer; its silence is a refusal
  (R. 311-13);
- against a refusal, explicit or implicit, the requester has two months to refer the
  matter to the CADA, which must come before any court action (R. 343-1);
- the CADA gives its opinion within one month of registering the referral (R. 343-3);
- the administration says within one month of the opinion what it will do (R. 343-5);
  if it has not given the documents two months after the referral was registered, the
  refusal stands, and the requester has two months to go to the administrative court
  (R. 343-5 and R. 421-1 of the code de justice administrative).
"""

from dataclasses import dataclass
from datetime import date

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from recours.core.deadlines import Deadline, add_months
from recours.core.letters import Letter
from recours.observatory.models import DocumentRequest, Place

# What a commune holds about its surveillance and that is communicable (L. 311-1).
DOCUMENTS = {
    "authorisations": (
        _("Autorisations préfectorales de vidéoprotection"),
        "les arrêtés préfectoraux autorisant les systèmes de vidéoprotection installés sur "
        "le territoire de la commune, avec leurs dossiers de demande (art. L. 252-1 du code "
        "de la sécurité intérieure)",
    ),
    "contracts": (
        _("Marchés et contrats avec les fournisseurs"),
        "les marchés publics, contrats, bons de commande et cahiers des clauses techniques "
        "relatifs à l'acquisition, l'installation, la maintenance ou l'exploitation de "
        "caméras, de logiciels d'analyse d'images ou de tout dispositif de surveillance",
    ),
    "funding": (
        _("Demandes de subvention (FIPD, DETR/DSIL, région)"),
        "les demandes de subvention adressées à l'État (Fonds interministériel de prévention "
        "de la délinquance, DETR, DSIL) ou à d'autres collectivités pour ces dispositifs, et "
        "les décisions d'attribution",
    ),
    "impact": (
        _("Analyses d'impact relatives à la protection des données"),
        "les analyses d'impact relatives à la protection des données (art. 35 du RGPD et "
        "art. 90 de la loi du 6 janvier 1978) et les registres des traitements concernés",
    ),
    "deliberations": (
        _("Délibérations du conseil municipal"),
        "les délibérations du conseil municipal et les décisions du maire relatives à ces "
        "dispositifs",
    ),
    "evaluations": (
        _("Bilans et évaluations"),
        "les bilans, rapports d'activité et évaluations de l'efficacité de ces dispositifs",
    ),
}


@dataclass(frozen=True)
class Step:
    day: date
    title: str
    passed: bool


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def deadlines(request: DocumentRequest, *, today: date) -> list[Step]:
    """The dates that matter next for a request, given what has happened to it."""
    steps = []
    refused = request.refused_on
    if request.status == DocumentRequest.Status.SENT and not request.answered_on:
        implicit = add_months(request.sent_on, 1)
        steps.append(
            Step(implicit, _("Sans réponse, refus implicite (R. 311-13)"), implicit < today)
        )
        refused = refused or implicit
    if refused and not request.referred_on and request.status != DocumentRequest.Status.ANSWERED:
        limit = add_months(refused, 2)
        steps.append(Step(limit, _("Dernier jour pour saisir la CADA (R. 343-1)"), limit < today))
    if request.referred_on:
        if not request.opinion_on:
            opinion = add_months(request.referred_on, 1)
            steps.append(Step(opinion, _("Avis attendu de la CADA (R. 343-3)"), opinion < today))
        confirmed = add_months(request.referred_on, 2)
        if request.status != DocumentRequest.Status.ANSWERED:
            steps.append(
                Step(confirmed, _("Sans communication, le refus est confirmé (R. 343-5)"),
                     confirmed < today)
            )  # fmt: skip
            court = add_months(confirmed, 2)
            steps.append(
                Step(court, _("Dernier jour pour saisir le tribunal administratif (R. 421-1 CJA)"),
                     court < today)
            )  # fmt: skip
    return steps


def build_request_letter(place: Place, data: dict) -> Letter:
    """The letter, in French whatever the page's language: it goes to a French mairie."""
    with translation.override("fr"):
        letter_date = data["letter_date"]
        wanted = [DOCUMENTS[key][1] for key in data["documents"]]
        sender = [data["name"], *data["address"].splitlines()]
        if data.get("email"):
            sender.append(data["email"])
        by_mail = data.get("email")
        paragraphs = [
            "Madame la Maire, Monsieur le Maire,",
            "En application des articles L. 300-1 et L. 311-1 et suivants du code des "
            "relations entre le public et l'administration, je vous prie de bien vouloir "
            "me communiquer les documents administratifs suivants, relatifs aux dispositifs "
            f"de vidéosurveillance et de surveillance de l'espace public de la commune de "
            f"{place.name} :",
            *[f"– {item} ;" for item in wanted],
            (
                "Conformément à l'article L. 311-9 du même code, je souhaite les recevoir "
                f"par courrier électronique à l'adresse {data['email']}, dans un format "
                "ouvert et réutilisable lorsqu'il existe."
                if by_mail
                else "Conformément à l'article L. 311-9 du même code, je souhaite en "
                "recevoir une copie papier, aux frais de reproduction prévus par l'arrêté "
                "du 1er octobre 2001."
            ),
            "Si certains de ces documents comportent des mentions non communicables, je "
            "vous remercie de les occulter et de me communiquer le reste (art. L. 311-7). "
            "Si vous ne détenez pas l'un d'eux, je vous remercie de transmettre ma demande "
            "à l'administration qui le détient et de m'en aviser (art. L. 114-2).",
            "À défaut de réponse dans un délai d'un mois à compter de la réception de la "
            "présente demande, votre silence vaudra refus (art. R. 311-13), que je pourrai "
            "contester devant la Commission d'accès aux documents administratifs.",
            "Je vous prie d'agréer, Madame la Maire, Monsieur le Maire, l'expression de "
            "mes salutations distinguées.",
        ]
        answer = add_months(letter_date, 1)
        return Letter(
            kind="cada",
            title=f"Demande de documents administratifs · {place.name}",
            sender=sender,
            addressee=f"Madame la Maire, Monsieur le Maire\nMairie de {place.name}",
            place_date=f"À {data['letter_place']}, le {_day(letter_date)}",
            subject="Demande de communication de documents administratifs",
            paragraphs=paragraphs,
            attachments=[],
            postage="Lettre recommandée avec accusé de réception, ou courriel à la mairie",
            signature=f"{data['name']}\n(signature)",
            deadlines=[
                Deadline(
                    answer,
                    f"Demande de documents à {place.name} : réponse attendue",
                    "Sans réponse, refus implicite : saisir la CADA dans les deux mois "
                    "(cada.fr, formulaire en ligne).",
                )
            ],
        )
