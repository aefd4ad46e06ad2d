"""What every rights letter shares: the sender's block, the identity and case sentences,
the answer deadline. Each procedure's own text is in its module under procedures/.
Pure functions: nothing is stored or logged."""

from datetime import date

from django.utils import formats, translation

from recours.core.deadlines import Deadline, add_months
from recours.core.letters import Letter
from recours.rights.law import ARTICLES


def day(value: date) -> str:
    """A date as a French letter writes it: "1er mars 2026", "2 mars 2026"."""
    if value.day == 1 and translation.get_language() == "fr":
        return formats.date_format(value, "j\\e\\r F Y")
    return formats.date_format(value, "j F Y")


# The gender of the words a court or an authority's name starts with, to write "le
# tribunal", "du tribunal", "de la cour" in front of what a person typed.
_MASCULINE = {"tribunal", "juge", "parquet", "procureur", "magistrat", "président", "conseil"}
_FEMININE = {"cour", "chambre", "juridiction", "commission", "préfecture", "maison"}
_ARTICLES = ("le ", "la ", "les ", "l'", "l’")


def the(name: str) -> str:
    """`name` with its article: "tribunal correctionnel de Lyon" -> "le tribunal
    correctionnel de Lyon". A name that has one, or whose first word is unknown here (a
    proper name), is left as typed."""
    lowered = name.lower()
    if lowered.startswith(_ARTICLES):
        return name[0].lower() + name[1:]
    first = lowered.split(" ", 1)[0]
    if first[:1] in "aeéèêiîoôuh" and (first in _MASCULINE or first in _FEMININE):
        return "l'" + name
    if first in _MASCULINE:
        return "le " + name
    if first in _FEMININE:
        return "la " + name
    return name


def of_place(name: str) -> str:
    """ "de" + a town's name as French writes it: "de Lyon", "d'Aix-en-Provence", "du
    Havre", "des Sables-d'Olonne", "de La Rochelle" (a town's "La" keeps its capital)."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1].lower() in "aeéèêiîoôuh" and not name.startswith(("L'", "L’")):
        return "d'" + name
    return "de " + name


def of(name: str) -> str:
    """ "de" + `name`, contracted as French does: "du tribunal", "de la cour", "des
    juges", "de l'ordonnance", "de Lyon"."""
    with_article = the(name)
    if with_article.startswith("le "):
        return "du " + with_article[3:]
    if with_article.startswith("les "):
        return "des " + with_article[4:]
    if with_article[:1].lower() in "aeéèêiîoôuh" and not with_article.startswith("l"):
        return "d'" + with_article
    return "de " + with_article


def compose(
    procedure, data: dict, *, addressee: str, subject: str, paragraphs: list[str]
) -> Letter:
    """The letter with its sender block, place and date, attachments, postage and the
    date an answer is due (the procedure's `answer_months` after the letter)."""
    name = f"{data['given_names']} {data['surname'].upper()}"
    sender = [name]
    if data.get("birth_name"):
        sender.append(f"née / né {data['birth_name'].upper()}")
    if data.get("birth_date"):
        sender.append(f"Né·e le {day(data['birth_date'])} à {data['birth_place']}")
    sender += data["address"].splitlines()
    if data.get("email"):
        sender.append(data["email"])
    if data.get("phone"):
        sender.append(data["phone"])
    letter_date = data["letter_date"]
    deadlines = []
    if procedure.answer_months:
        answer = add_months(letter_date, procedure.answer_months)
        deadlines.append(
            Deadline(
                answer,
                f"{procedure.title} : réponse attendue",
                f"Sans réponse à cette date : {procedure.next_step}",
            )
        )
    return Letter(
        kind=procedure.kind,
        title=str(procedure.title),
        sender=sender,
        addressee=addressee,
        place_date=f"À {data['letter_place']}, le {day(letter_date)}",
        subject=subject,
        paragraphs=paragraphs,
        attachments=[str(item) for item in procedure.attachments],
        postage=str(procedure.postage),
        signature=f"{name}\n(signature)",
        deadlines=deadlines,
        articles=[ARTICLES[key] for key in procedure.articles],
    )


def identity_sentence(data) -> str:
    name = f"Je soussigné·e {data['given_names']} {data['surname'].upper()}"
    if not data.get("birth_date"):
        return name
    return f"{name}, né·e le {day(data['birth_date'])} à {data['birth_place']}"


def case_sentence(data) -> str:
    details = []
    if data.get("case_date"):
        details.append(f"des faits du {day(data['case_date'])}")
    if data.get("case_place"):
        details.append(f"survenus à {data['case_place']}")
    if data.get("offence"):
        details.append(f"qualifiés de « {data['offence']} »")
    if data.get("case_unit"):
        details.append(f"ayant donné lieu à une procédure de {data['case_unit']}")
    if data.get("case_reference"):
        details.append(f"(référence {data['case_reference']})")
    return (
        "J'ai été mis·e en cause dans le cadre "
        + (" ".join(details) if details else "d'une procédure pénale")
        + "."
    )


# {of_court} is "du tribunal correctionnel de Lyon", {the_court} "le tribunal…".
OUTCOME_SENTENCES = {
    "relaxe": "Par décision du {day} {of_court}, devenue définitive, j'ai été relaxé·e.",
    "acquittement": "Par décision du {day} {of_court}, devenue définitive, j'ai été acquitté·e.",
    "non_lieu": "Par ordonnance du {day}, {the_court} a prononcé un non-lieu.",
    "classement": "Par décision du {day}, {the_court} a classé la procédure sans suite.",
    "dispense": "Par décision du {day} {of_court}, j'ai été dispensé·e de peine ou de l'inscription de la condamnation au casier judiciaire.",
    "casier_vierge": "Le bulletin n° 2 de mon casier judiciaire, délivré le {day}, ne porte plus mention de la condamnation prononcée par {the_court}.",
    "requalification": "Par décision du {day} {of_court}, les faits ont fait l'objet d'une nouvelle qualification juridique.",
}
REQUEST_SENTENCES = {
    "effacement": "l'effacement des données me concernant enregistrées dans le traitement d'antécédents judiciaires (TAJ)",
    "rectification": "la rectification des données me concernant enregistrées dans le TAJ, afin qu'elles tiennent compte de cette décision",
    "mention": "qu'une mention de cette décision soit portée sur les données me concernant dans le TAJ, afin qu'elles ne puissent être consultées dans le cadre des enquêtes administratives",
}


def outcome_sentence(data) -> str:
    court = data["decision_court"]
    return OUTCOME_SENTENCES[data["outcome"]].format(
        day=day(data["decision_date"]), of_court=of(court), the_court=the(court)
    )
