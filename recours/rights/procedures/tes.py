from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recours.rights import law
from recours.rights.letters import (
    compose,
    identity_sentence,
)
from recours.rights.procedures import LETTER, SENDER, Procedure


def write(procedure, data):
    asks = {
        "acces": "la communication de l'ensemble des données me concernant enregistrées dans ce traitement, notamment l'image numérisée de mon visage et de mes empreintes digitales, ainsi que les finalités, les destinataires et la durée de conservation de ces données, en application de l'"
        + law.CITE["gdpr-access"],
        "rectification": "la rectification des données inexactes me concernant enregistrées dans ce traitement, en application de l'"
        + law.CITE["gdpr-rectification"],
        # Only secondary sources describe this option (§4b C5): ask in plain words.
        "empreintes": "l'effacement de l'image de mes empreintes digitales enregistrée dans ce traitement à l'occasion de ma demande de carte nationale d'identité, ou la confirmation de cet effacement ; si vous estimez devoir les conserver, je vous demande de m'indiquer le texte qui le prévoit",
    }[data["tes_request"]]
    letter = compose(
        procedure,
        data,
        addressee=f"{law.MINISTRY}\n{law.MINISTRY_EMAIL}",
        subject="Exercice de mes droits sur le fichier des titres électroniques sécurisés (TES)",
        paragraphs=[
            "Madame, Monsieur le délégué à la protection des données,",
            f"{identity_sentence(data)}, vous écris au sujet du traitement des titres "
            f"électroniques sécurisés (TES), créé par le {law.CITE['tes']}. Je vous demande {asks}.",
            "Vous trouverez ci-joint la copie de ma pièce d'identité. Je vous remercie de me "
            f"répondre dans le délai d'un mois prévu par l'{law.CITE['gdpr-delay']}, à "
            "l'adresse indiquée ci-dessus.",
            "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        ],
    )
    letter.warnings.append(
        gettext(
            "Procédure provisoire : le texte qui désigne où exercer ces droits pour le TES n'a pas "
            "encore été vérifié. Cette lettre suit la voie générale du RGPD."
        )
    )
    return letter


PROCEDURE = Procedure(
    kind="tes",
    title=_("TES : accès et rectification (photo et empreintes)"),
    summary=_(
        "Le fichier des titres électroniques sécurisés contient la photo et les empreintes "
        "de tout titulaire d'un passeport ou d'une carte d'identité. Voie provisoire : le "
        "délégué à la protection des données du ministère, au titre du RGPD."
    ),
    articles=("tes", "gdpr-rights"),
    postage=_("Lettre simple ou recommandée, ou courriel au délégué."),
    registered_required=False,
    answer_months=1,
    next_step=_("Sans réponse dans le mois, vous pouvez saisir la CNIL d'une plainte."),
    attachments=(_("Copie recto verso de ma pièce d'identité"),),
    fields=SENDER + ("tes_request",) + LETTER,
    interim=True,
    write=write,
)
