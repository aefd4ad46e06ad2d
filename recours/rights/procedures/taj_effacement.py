from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recours.core.deadlines import Deadline, add_months
from recours.rights import law
from recours.rights.letters import (
    REQUEST_SENTENCES,
    case_sentence,
    compose,
    identity_sentence,
    of_place,
    outcome_sentence,
)
from recours.rights.procedures import CASE, DECISION, LETTER, REQUEST, SENDER, Procedure


def write(procedure, data):
    city = data["court_city"]
    grounds = (
        [f"À l'appui de ma demande, je souhaite préciser : {data['grounds']}"]
        if data.get("grounds")
        else []
    )
    # No postal address of the magistrat référent is published (§4b C6): the request goes
    # to the local prosecutor, who forwards it when several jurisdictions hold data (C1).
    forward = (
        [
            "Les données me concernant pouvant relever de plusieurs ressorts, je vous prie "
            "de bien vouloir transmettre la présente demande au magistrat référent prévu à "
            f"l'{law.CITE['taj-referent']}."
        ]
        if data.get("use_referent")
        else []
    )
    letter = compose(
        procedure,
        data,
        addressee=f"Madame, Monsieur le procureur de la République\nTribunal judiciaire {of_place(city)}",
        subject={
            "effacement": "Demande d'effacement",
            "rectification": "Demande de rectification",
            "mention": "Demande de mention",
        }[data["request"]]
        + f" de données dans le fichier TAJ ({law.CITE['taj-erasure']})",
        paragraphs=[
            "Madame, Monsieur le procureur de la République,",
            f"{identity_sentence(data)}, vous adresse la présente demande.",
            case_sentence(data),
            outcome_sentence(data),
            f"En application de l'{law.CITE['taj-erasure-decision']}, je vous demande "
            f"{REQUEST_SENTENCES[data['request']]}.",
            *forward,
            *grounds,
            "Je joins à la présente la copie de ma pièce d'identité et de la décision mentionnée "
            "ci-dessus. Je vous remercie de bien vouloir me faire connaître votre décision dans "
            "le délai de deux mois ; je note qu'à défaut, votre silence vaudra refus.",
            "Je vous prie d'agréer, Madame, Monsieur le procureur de la République, "
            "l'expression de ma haute considération.",
        ],
    )
    # REQUIREMENTS §4b C2: two months of silence are a refusal, which opens one month to
    # appeal. Counted from the letter's date, the earliest day the request can arrive,
    # so that the last day shown is never later than the real one.
    silence = add_months(data["letter_date"], 2)
    letter.deadlines.append(
        Deadline(
            add_months(silence, 1),
            "TAJ : dernier jour pour un recours si le procureur n'a pas répondu",
            f"Deux mois de silence valent refus ; ce refus implicite se conteste dans le mois "
            f"devant le {law.APPEAL_JUDGE} de la cour d'appel dont relève le tribunal "
            f"judiciaire {of_place(city)}. Si vous recevez un refus écrit, le délai d'un mois court "
            "à partir de son envoi : refaites vos rappels avec la lettre « TAJ : recours ».",
        )
    )
    if data["outcome"] in {"casier_vierge", "requalification"} or data["capacity"] == "victime":
        letter.warnings.append(
            gettext(
                "Dans cette situation, l'effacement n'est pas de droit : le procureur apprécie. Expliquez vos raisons."
            )
        )
    return letter


PROCEDURE = Procedure(
    kind="taj-effacement",
    title=_("TAJ : demander l'effacement, la rectification ou une mention"),
    summary=_(
        "Après une relaxe, un acquittement, un non-lieu, un classement sans suite, une "
        "dispense de peine ou de mention au casier ; sinon une fois le bulletin n° 2 de "
        "votre casier judiciaire vierge. À envoyer au procureur du tribunal qui a traité "
        "l'affaire, qui la transmet au magistrat référent si plusieurs tribunaux sont "
        "concernés."
    ),
    articles=("taj-erasure", "taj-referent", "taj-erasure-request", "taj-retention"),
    postage=_(
        "Lettre recommandée avec demande d'avis de réception OBLIGATOIRE : sinon la demande "
        "est irrecevable (un dépôt au tribunal ne suffit pas). Gardez l'avis de réception."
    ),
    registered_required=True,
    answer_months=2,
    next_step=_(
        "Le procureur décide dans les deux mois ; son silence pendant deux mois vaut refus. "
        "Contre un refus, écrit ou implicite, vous avez un mois pour faire un recours "
        "(lettre « TAJ : recours »)."
    ),
    attachments=(
        _("Copie recto verso de ma pièce d'identité"),
        _("Copie de la décision (jugement, arrêt, ordonnance de non-lieu, avis de classement)"),
        _("Ou un extrait du bulletin n° 2 de mon casier judiciaire"),
    ),
    fields=SENDER + CASE + DECISION + ("court_city", "use_referent") + REQUEST + LETTER,
    write=write,
)
