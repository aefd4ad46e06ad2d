from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recours.core.deadlines import Deadline, add_months
from recours.rights import law
from recours.rights.letters import (
    REQUEST_SENTENCES,
    case_sentence,
    compose,
    identity_sentence,
    outcome_sentence,
)
from recours.rights.procedures import CASE, DECISION, LETTER, REQUEST, SENDER, Procedure


def write(procedure, data):
    if data.get("use_referent"):
        addressee, salutation = law.REFERENT, "Madame, Monsieur le magistrat référent,"
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
    letter = compose(
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
            f"{identity_sentence(data)}, vous adresse la présente demande.",
            case_sentence(data),
            outcome_sentence(data),
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
            gettext(
                "Dans cette situation, l'effacement n'est pas de droit : le procureur apprécie. Expliquez vos raisons."
            )
        )
    return letter


def court_or_referent(data: dict):
    """The request goes to the prosecutor of a named court, or to the magistrat référent."""
    if not data.get("use_referent") and not data.get("court_city"):
        yield "court_city", _("Indiquez la ville du tribunal, ou choisissez le magistrat référent.")


PROCEDURE = Procedure(
    kind="taj-effacement",
    title=_("TAJ : demander l'effacement, la rectification ou une mention"),
    summary=_(
        "Après une relaxe, un acquittement, un non-lieu, un classement sans suite, une "
        "dispense de peine ou de mention au casier ; sinon une fois le bulletin n° 2 de "
        "votre casier judiciaire vierge. À envoyer au procureur du tribunal qui a traité "
        "l'affaire, ou au magistrat référent."
    ),
    articles=("230-8", "230-9", "R40-31", "R40-27"),
    postage=_(
        "Lettre recommandée avec avis de réception OBLIGATOIRE : sinon la demande est irrecevable. Gardez l'avis de réception."
    ),
    registered_required=True,
    answer_months=2,
    next_step=_(
        "Le procureur décide dans les deux mois. Contre sa décision, vous avez un mois pour "
        "saisir le président de la chambre de l'instruction (lettre « TAJ : recours »)."
    ),
    attachments=(
        _("Copie recto verso d'une pièce d'identité"),
        _("Copie de la décision (jugement, arrêt, ordonnance de non-lieu, avis de classement)"),
        _("Ou un extrait du bulletin n° 2 de votre casier judiciaire"),
    ),
    fields=SENDER + CASE + DECISION + ("court_city", "use_referent") + REQUEST + LETTER,
    write=write,
    rules=(court_or_referent,),
)
