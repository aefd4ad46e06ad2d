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
        "acces": "la communication de l'ensemble des données me concernant enregistrées dans le traitement des titres électroniques sécurisés (TES), notamment l'image numérisée de mon visage et de mes empreintes digitales, ainsi que les finalités, les destinataires et la durée de conservation de ces données (article 15 du RGPD)",
        "rectification": "la rectification des données inexactes me concernant enregistrées dans le traitement des titres électroniques sécurisés (TES) (article 16 du RGPD)",
        "empreintes": "l'effacement de l'image de mes empreintes digitales enregistrée dans le traitement des titres électroniques sécurisés (TES) à l'occasion de ma demande de carte nationale d'identité, ou la confirmation de cet effacement, dans les conditions prévues depuis le décret n° 2021-279",
    }[data["tes_request"]]
    letter = compose(
        procedure,
        data,
        addressee=f"{law.MINISTRY}\n{law.MINISTRY_EMAIL}",
        subject="Exercice de mes droits sur le fichier des titres électroniques sécurisés (TES)",
        paragraphs=[
            "Madame, Monsieur le délégué à la protection des données,",
            f"{identity_sentence(data)}, vous demande {asks}.",
            "Vous trouverez ci-joint la copie de ma pièce d'identité. Je vous remercie de me "
            "répondre dans le délai d'un mois prévu par l'article 12, paragraphe 3, du règlement "
            "(UE) 2016/679, à l'adresse indiquée ci-dessus.",
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
    articles=("TES", "RGPD-15-16"),
    postage=_("Lettre simple ou recommandée, ou courriel au délégué."),
    registered_required=False,
    answer_months=1,
    next_step=_("Sans réponse dans le mois, vous pouvez saisir la CNIL d'une plainte."),
    attachments=(_("Copie recto verso d'une pièce d'identité"),),
    fields=SENDER + ("tes_request",) + LETTER,
    interim=True,
    write=write,
)
