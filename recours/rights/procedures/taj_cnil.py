from django.utils.translation import gettext_lazy as _

from recours.rights import law
from recours.rights.letters import (
    compose,
    day,
    identity_sentence,
)
from recours.rights.procedures import LETTER, SENDER, Procedure


def write(procedure, data):
    what = {
        "silence": f"Ma demande du {day(data['first_request_date'])} est restée sans réponse au-delà de deux mois.",
        "refus": f"Ma demande du {day(data['first_request_date'])} a fait l'objet d'un refus.",
        "restriction": f"Ma demande du {day(data['first_request_date'])} n'a reçu qu'une réponse restreinte.",
    }[data["refusal"]]
    return compose(
        procedure,
        data,
        addressee=law.CNIL,
        subject="Demande de droit d'accès indirect au fichier TAJ",
        paragraphs=[
            "Madame la Présidente,",
            f"{identity_sentence(data)}, ai demandé au ministère de l'Intérieur l'accès aux "
            f"données me concernant dans le traitement d'antécédents judiciaires (TAJ). {what}",
            "Je vous demande en conséquence, en application de l'"
            f"{law.CITE['lil-indirect']}, de procéder aux vérifications nécessaires et de "
            "m'en communiquer le résultat. Cette demande ne porte que sur le fichier TAJ et "
            "ne concerne que moi.",
            "Je joins la copie de ma pièce d'identité, de ma demande initiale et, le cas "
            "échéant, de la réponse reçue.",
            "Je vous prie d'agréer, Madame la Présidente, l'expression de ma haute considération.",
        ],
    )


PROCEDURE = Procedure(
    kind="taj-cnil",
    title=_("TAJ : accès par l'intermédiaire de la CNIL"),
    summary=_(
        "Après un refus, une restriction ou deux mois de silence du ministère. La CNIL "
        "vérifie le fichier pour vous. Une personne et un fichier par demande."
    ),
    articles=("taj-access",),
    postage=_("Lettre simple ou recommandée ; la CNIL propose aussi un formulaire en ligne."),
    registered_required=False,
    answer_months=6,
    next_step=_("La CNIL indique qu'elle traite ces demandes en six mois environ."),
    attachments=(
        _("Copie recto verso de ma pièce d'identité"),
        _("Copie de ma demande au ministère"),
        _("Copie de la réponse ou du refus, s'il y en a eu un"),
    ),
    fields=SENDER + ("capacity", "first_request_date", "refusal") + LETTER,
    write=write,
)
