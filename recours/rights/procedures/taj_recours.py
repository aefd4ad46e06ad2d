from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recours.core.deadlines import Deadline, add_months
from recours.rights.letters import (
    REQUEST_SENTENCES,
    case_sentence,
    compose,
    day,
    identity_sentence,
    outcome_sentence,
)
from recours.rights.procedures import CASE, DECISION, LETTER, REQUEST, SENDER, Procedure


def write(procedure, data):
    grounds = data.get("grounds") or "(exposez ici pourquoi la décision doit être réformée)"
    letter = compose(
        procedure,
        data,
        addressee=f"Madame, Monsieur le Président de la chambre de l'instruction\nCour d'appel de {data['appeal_city']}",
        subject="Requête contre une décision relative au fichier TAJ (article R40-31-1 du code de procédure pénale)",
        paragraphs=[
            "Madame, Monsieur le Président,",
            f"{identity_sentence(data)}, ai l'honneur de contester la décision du "
            f"{day(data['contested_date'])} par laquelle ma demande relative aux données me "
            "concernant dans le traitement d'antécédents judiciaires (TAJ) n'a pas été satisfaite.",
            case_sentence(data),
            outcome_sentence(data),
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
            gettext(
                "Attention : plus d'un mois sépare la décision contestée de la date de votre lettre. "
                "Si la décision vous a été notifiée à sa date, le recours risque d'être tardif."
            )
        )
    return letter


PROCEDURE = Procedure(
    kind="taj-recours",
    title=_("TAJ : recours contre la décision du procureur"),
    summary=_(
        "Dans le mois qui suit la décision du procureur ou du magistrat référent, devant "
        "le président de la chambre de l'instruction de la cour d'appel (Paris pour le "
        "magistrat référent). La requête doit être motivée."
    ),
    articles=("R40-31-1", "230-8"),
    postage=_("Lettre recommandée avec avis de réception, ou dépôt au greffe de la cour d'appel."),
    registered_required=True,
    answer_months=0,
    next_step=_("Délai : un mois à compter de la notification de la décision contestée."),
    attachments=(
        _("Copie de la décision contestée"),
        _("Copie de votre demande d'effacement et de son avis de réception"),
        _("Copie de la décision judiciaire qui vous concerne (relaxe, non-lieu…)"),
        _("Copie recto verso d'une pièce d'identité"),
    ),
    fields=SENDER + CASE + DECISION + ("contested_date", "appeal_city") + REQUEST + LETTER,
    write=write,
)
