from django.utils.translation import gettext_lazy as _

from recours.rights import law
from recours.rights.letters import (
    compose,
    identity_sentence,
)
from recours.rights.procedures import LETTER, SENDER, Procedure


def write(procedure, data):
    capacity = "mis·e en cause" if data["capacity"] == "mis_en_cause" else "victime"
    return compose(
        procedure,
        data,
        addressee=f"{law.MINISTRY}\n{law.MINISTRY_EMAIL}",
        subject="Demande d'accès aux données me concernant dans le fichier TAJ",
        paragraphs=[
            "Madame, Monsieur le délégué à la protection des données,",
            f"{identity_sentence(data)}, vous demande, en application de l'"
            f"{law.CITE['taj-access']}, de m'indiquer si des données me concernant sont "
            f"enregistrées dans le traitement d'antécédents judiciaires (TAJ), où je pourrais "
            f"figurer en qualité de {capacity}, et, le cas échéant, de me les communiquer.",
            "Je vous demande également de me préciser les finalités du traitement, les "
            "destinataires de ces données et la durée pendant laquelle elles seront conservées.",
            "Vous trouverez ci-joint la copie recto verso de ma pièce d'identité. Je vous "
            "remercie de me répondre à l'adresse indiquée ci-dessus, dans le délai de deux mois ; "
            "je note qu'à défaut de réponse dans ce délai, je pourrai saisir la Commission "
            f"nationale de l'informatique et des libertés en application de l'{law.CITE['lil-indirect']}.",
            "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        ],
    )


PROCEDURE = Procedure(
    kind="taj-acces",
    title=_("TAJ : demander l'accès à mes données"),
    summary=_(
        "Pour savoir si vous êtes inscrit·e au fichier de traitement des antécédents "
        "judiciaires (TAJ), et ce qu'il contient. À envoyer au ministère de l'Intérieur."
    ),
    articles=("taj-access", "taj-retention"),
    postage=_(
        "Lettre recommandée avec demande d'avis de réception conseillée (non obligatoire), ou "
        "courriel au délégué."
    ),
    registered_required=False,
    answer_months=2,
    next_step=_(
        "Sans réponse dans les deux mois, ou si l'accès est restreint, saisissez la CNIL "
        "(lettre « TAJ : accès par l'intermédiaire de la CNIL »)."
    ),
    attachments=(_("Copie recto verso de ma pièce d'identité (ou extrait d'acte de naissance)"),),
    fields=SENDER + ("capacity",) + LETTER,
    write=write,
)
