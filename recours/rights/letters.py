"""Writes a letter from a person's answers. Pure functions: nothing is stored or logged.

Letters are in French whatever the page's language: they go to French authorities.
"""

from datetime import date

from django.utils import formats, translation
from django.utils.translation import gettext as _

from recours.core.deadlines import Deadline, add_months
from recours.core.letters import Letter
from recours.rights.procedures import ARTICLES, CNIL, MINISTRY, MINISTRY_EMAIL, PROCEDURES, REFERENT


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def build_letter(kind: str, data: dict) -> Letter:
    with translation.override("fr"):
        return _BUILDERS[kind](PROCEDURES[kind], data)


def _common(
    procedure, data: dict, *, addressee: str, subject: str, paragraphs: list[str]
) -> Letter:
    name = f"{data['given_names']} {data['surname'].upper()}"
    sender = [name]
    if data.get("birth_name"):
        sender.append(f"née / né {data['birth_name'].upper()}")
    sender += [
        f"Né·e le {_day(data['birth_date'])} à {data['birth_place']}",
        *data["address"].splitlines(),
    ]
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
        place_date=f"À {data['letter_place']}, le {_day(letter_date)}",
        subject=subject,
        paragraphs=paragraphs,
        attachments=[str(item) for item in procedure.attachments],
        postage=str(procedure.postage),
        signature=f"{name}\n(signature)",
        deadlines=deadlines,
        articles=[ARTICLES[key] for key in procedure.articles],
    )


def _identity_sentence(data) -> str:
    return (
        f"Je soussigné·e {data['given_names']} {data['surname'].upper()}, né·e le "
        f"{_day(data['birth_date'])} à {data['birth_place']}"
    )


def _taj_access(procedure, data):
    capacity = "mis·e en cause" if data["capacity"] == "mis_en_cause" else "victime"
    return _common(
        procedure,
        data,
        addressee=f"{MINISTRY}\n{MINISTRY_EMAIL}",
        subject="Demande d'accès aux données me concernant dans le fichier TAJ",
        paragraphs=[
            "Madame, Monsieur le délégué à la protection des données,",
            f"{_identity_sentence(data)}, vous demande, en application de l'article R40-33 du "
            "code de procédure pénale, de m'indiquer si des données me concernant sont "
            f"enregistrées dans le traitement d'antécédents judiciaires (TAJ), où je pourrais "
            f"figurer en qualité de {capacity}, et, le cas échéant, de me les communiquer.",
            "Je vous demande également de me préciser les finalités du traitement, les "
            "destinataires de ces données et la durée pendant laquelle elles seront conservées.",
            "Vous trouverez ci-joint la copie recto verso de ma pièce d'identité. Je vous "
            "remercie de me répondre à l'adresse indiquée ci-dessus, dans le délai de deux mois ; "
            "je note qu'à défaut de réponse dans ce délai, je pourrai saisir la Commission "
            "nationale de l'informatique et des libertés.",
            "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        ],
    )


def _taj_cnil(procedure, data):
    what = {
        "silence": f"Ma demande du {_day(data['first_request_date'])} est restée sans réponse au-delà de deux mois.",
        "refus": f"Ma demande du {_day(data['first_request_date'])} a fait l'objet d'un refus.",
        "restriction": f"Ma demande du {_day(data['first_request_date'])} n'a reçu qu'une réponse restreinte.",
    }[data["refusal"]]
    return _common(
        procedure,
        data,
        addressee=CNIL,
        subject="Demande de droit d'accès indirect au fichier TAJ",
        paragraphs=[
            "Madame la Présidente,",
            f"{_identity_sentence(data)}, ai demandé au ministère de l'Intérieur l'accès aux "
            f"données me concernant dans le traitement d'antécédents judiciaires (TAJ). {what}",
            "Je vous demande en conséquence de procéder aux vérifications nécessaires et de "
            "m'en communiquer le résultat, conformément aux dispositions applicables aux "
            "traitements intéressant la sécurité publique. Cette demande ne porte que sur le "
            "fichier TAJ et ne concerne que moi.",
            "Je joins la copie de ma pièce d'identité, de ma demande initiale et, le cas "
            "échéant, de la réponse reçue.",
            "Je vous prie d'agréer, Madame la Présidente, l'expression de ma haute considération.",
        ],
    )


def _case_sentence(data) -> str:
    details = []
    if data.get("case_date"):
        details.append(f"des faits du {_day(data['case_date'])}")
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


OUTCOME_SENTENCES = {
    "relaxe": "Par décision du {day} de {court}, devenue définitive, j'ai été relaxé·e.",
    "acquittement": "Par décision du {day} de {court}, devenue définitive, j'ai été acquitté·e.",
    "non_lieu": "Par ordonnance du {day}, {court} a prononcé un non-lieu.",
    "classement": "Par décision du {day}, {court} a classé la procédure sans suite.",
    "dispense": "Par décision du {day} de {court}, j'ai été dispensé·e de peine ou de l'inscription de la condamnation au casier judiciaire.",
    "casier_vierge": "Le bulletin n° 2 de mon casier judiciaire, délivré le {day}, ne porte plus mention de condamnation ({court}).",
    "requalification": "Par décision du {day} de {court}, les faits ont fait l'objet d'une nouvelle qualification juridique.",
}
REQUEST_SENTENCES = {
    "effacement": "l'effacement des données me concernant enregistrées dans le traitement d'antécédents judiciaires (TAJ)",
    "rectification": "la rectification des données me concernant enregistrées dans le TAJ, afin qu'elles tiennent compte de cette décision",
    "mention": "qu'une mention de cette décision soit portée sur les données me concernant dans le TAJ, afin qu'elles ne puissent être consultées dans le cadre des enquêtes administratives",
}


def _outcome_sentence(data) -> str:
    return OUTCOME_SENTENCES[data["outcome"]].format(
        day=_day(data["decision_date"]), court=data["decision_court"]
    )


def _taj_erasure(procedure, data):
    if data.get("use_referent"):
        addressee, salutation = REFERENT, "Madame, Monsieur le magistrat référent,"
        appeal_city = "Paris"
    else:
        city = data["court_city"]
        addressee = f"Madame, Monsieur le procureur de la République\nTribunal judiciaire de {city}"
        salutation = "Madame, Monsieur le procureur de la République,"
        appeal_city = None
    grounds = (
        [f"À l'appui de ma demande, je souhaite préciser : {data['grounds']}"]
        if data.get("grounds")
        else []
    )
    letter = _common(
        procedure,
        data,
        addressee=addressee,
        subject={
            "effacement": "Demande d'effacement",
            "rectification": "Demande de rectification",
            "mention": "Demande de mention",
        }[data["request"]]
        + " de données dans le fichier TAJ (articles 230-8 et R40-31 du code de procédure pénale)",
        paragraphs=[
            salutation,
            f"{_identity_sentence(data)}, vous adresse la présente demande.",
            _case_sentence(data),
            _outcome_sentence(data),
            f"En application de l'article 230-8 du code de procédure pénale, je vous demande {REQUEST_SENTENCES[data['request']]}.",
            *grounds,
            "Je joins à la présente la copie de ma pièce d'identité et de la décision mentionnée "
            "ci-dessus. Je vous remercie de bien vouloir me faire connaître votre décision dans "
            "le délai de deux mois prévu par l'article 230-8.",
            "Je vous prie d'agréer, Madame, Monsieur, l'expression de ma haute considération.",
        ],
    )
    decision = add_months(data["letter_date"], 2)
    letter.deadlines.append(
        Deadline(
            add_months(decision, 1),
            "TAJ : dernier jour pour un recours (si refus à l'échéance)",
            "Un mois pour saisir le président de la chambre de l'instruction"
            + (f" de la cour d'appel de {appeal_city}" if appeal_city else "")
            + " contre la décision du procureur (R40-31-1). Comptez un mois à partir de la notification de la décision.",
        )
    )
    if data["outcome"] in {"casier_vierge", "requalification"} or data["capacity"] == "victime":
        letter.warnings.append(
            _(
                "Dans cette situation, l'effacement n'est pas de droit : le procureur apprécie. Expliquez vos raisons."
            )
        )
    return letter


def _taj_appeal(procedure, data):
    grounds = data.get("grounds") or "(exposez ici pourquoi la décision doit être réformée)"
    letter = _common(
        procedure,
        data,
        addressee=f"Madame, Monsieur le Président de la chambre de l'instruction\nCour d'appel de {data['appeal_city']}",
        subject="Requête contre une décision relative au fichier TAJ (article R40-31-1 du code de procédure pénale)",
        paragraphs=[
            "Madame, Monsieur le Président,",
            f"{_identity_sentence(data)}, ai l'honneur de contester la décision du "
            f"{_day(data['contested_date'])} par laquelle ma demande relative aux données me "
            "concernant dans le traitement d'antécédents judiciaires (TAJ) n'a pas été satisfaite.",
            _case_sentence(data),
            _outcome_sentence(data),
            f"Je demande {REQUEST_SENTENCES[data['request']]}, pour les motifs suivants : {grounds}",
            "Je joins la décision contestée, ma demande initiale avec son avis de réception, la "
            "décision judiciaire qui me concerne et la copie de ma pièce d'identité.",
            "Je vous prie d'agréer, Madame, Monsieur le Président, l'expression de ma haute considération.",
        ],
    )
    limit = add_months(data["contested_date"], 1)
    letter.deadlines.insert(
        0,
        Deadline(
            limit,
            "TAJ : dernier jour pour déposer le recours",
            "Un mois à compter de la notification de la décision (R40-31-1).",
        ),
    )
    if data["letter_date"] > limit:
        letter.warnings.append(
            _(
                "Attention : plus d'un mois sépare la décision contestée de la date de votre lettre. "
                "Si la décision vous a été notifiée à sa date, le recours risque d'être tardif."
            )
        )
    return letter


def _tes(procedure, data):
    asks = {
        "acces": "la communication de l'ensemble des données me concernant enregistrées dans le traitement des titres électroniques sécurisés (TES), notamment l'image numérisée de mon visage et de mes empreintes digitales, ainsi que les finalités, les destinataires et la durée de conservation de ces données (article 15 du RGPD)",
        "rectification": "la rectification des données inexactes me concernant enregistrées dans le traitement des titres électroniques sécurisés (TES) (article 16 du RGPD)",
        "empreintes": "l'effacement de l'image de mes empreintes digitales enregistrée dans le traitement des titres électroniques sécurisés (TES) à l'occasion de ma demande de carte nationale d'identité, ou la confirmation de cet effacement, dans les conditions prévues depuis le décret n° 2021-279",
    }[data["tes_request"]]
    letter = _common(
        procedure,
        data,
        addressee=f"{MINISTRY}\n{MINISTRY_EMAIL}",
        subject="Exercice de mes droits sur le fichier des titres électroniques sécurisés (TES)",
        paragraphs=[
            "Madame, Monsieur le délégué à la protection des données,",
            f"{_identity_sentence(data)}, vous demande {asks}.",
            "Vous trouverez ci-joint la copie de ma pièce d'identité. Je vous remercie de me "
            "répondre dans le délai d'un mois prévu par l'article 12, paragraphe 3, du règlement "
            "(UE) 2016/679, à l'adresse indiquée ci-dessus.",
            "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        ],
    )
    letter.warnings.append(
        _(
            "Procédure provisoire : le texte qui désigne où exercer ces droits pour le TES n'a pas "
            "encore été vérifié. Cette lettre suit la voie générale du RGPD."
        )
    )
    return letter


_BUILDERS = {
    "taj-acces": _taj_access,
    "taj-cnil": _taj_cnil,
    "taj-effacement": _taj_erasure,
    "taj-recours": _taj_appeal,
    "tes": _tes,
}
