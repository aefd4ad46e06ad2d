"""Access to video-surveillance footage of oneself (REQUIREMENTS §4b C7). The rights
are those of the data-protection texts (law.ARTICLES["video"]), exercised with the
controller named on the sign; footage is destroyed within a month at most, so the letter asks for it to be kept
and goes out at once."""

from datetime import timedelta

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recours.core.deadlines import Deadline, add_months
from recours.rights import law
from recours.rights.letters import compose, day, identity_sentence, of_place
from recours.rights.procedures import LETTER, Procedure


def write(procedure, data):
    commune = data["video_commune"]
    controller = data.get("video_controller")
    addressee = controller or f"Madame, Monsieur le Maire\nMairie {of_place(commune)}"
    seen = f"le {day(data['video_date'])}"
    if data.get("video_times"):
        seen += f", {data['video_times']}"
    recognise = (
        [f"Pour vous permettre de me reconnaître : {data['video_description'].rstrip('.')}."]
        if data.get("video_description")
        else []
    )
    letter = compose(
        procedure,
        data,
        addressee=addressee,
        subject="Demande d'accès aux images de vidéoprotection me concernant, et de leur conservation",
        paragraphs=[
            "Madame, Monsieur le Maire," if not controller else "Madame, Monsieur,",
            # No birth details here, so no apposition: "Je soussigné·e X vous demande".
            f"{identity_sentence(data)} vous demande, en votre qualité de responsable du "
            f"système de vidéoprotection {of_place(commune)}, la communication des enregistrements "
            f"sur lesquels j'apparais, {data['video_place']}, {seen}.",
            f"Je fonde cette demande sur l'{law.CITE['gdpr-access']} et, si ce système a pour "
            f"finalité la prévention des infractions, sur l'{law.CITE['lil-police-access']}, "
            f"ces droits s'exerçant dans les conditions prévues par l'{law.CITE['csi-rights']}.",
            *recognise,
            "Les enregistrements étant détruits au terme du délai fixé par l'autorisation, un "
            f"mois au plus ({law.CITE['csi-retention']}), je vous demande de conserver dès "
            "réception de cette lettre les images me concernant, jusqu'à ce qu'une réponse "
            "définitive ait été apportée à ma demande.",
            "Si vous estimez devoir restreindre cet accès, je vous demande de m'en indiquer "
            f"les motifs, conformément à l'{law.CITE['lil-police-restrictions']}, ainsi que les "
            "voies de recours. Je vous remercie de me répondre dans le délai d'un mois prévu "
            f"par l'{law.CITE['gdpr-delay']}, à l'adresse indiquée ci-dessus.",
            f"Je vous prie d'agréer, {'Madame, Monsieur' if controller else 'Madame, Monsieur le Maire'}, "
            "l'expression de mes salutations distinguées.",
        ],
    )
    destroyed = data["video_date"] + timedelta(days=30)
    letter.deadlines.insert(
        0,
        Deadline(
            destroyed,
            "Vidéoprotection : les images peuvent être détruites dès ce jour",
            f"Un mois au plus après l'enregistrement ({law.CITE['csi-retention']}) : "
            "envoyez la lettre avant.",
        ),
    )
    if data["letter_date"] > destroyed:
        letter.warnings.append(
            gettext(
                "Plus d'un mois a passé depuis l'enregistrement : les images ont sans doute "
                "déjà été détruites. La lettre reste utile pour savoir ce qui a été gardé."
            )
        )
    letter.deadlines.append(
        Deadline(
            add_months(data["letter_date"], 3),
            "Vidéoprotection : fin du délai prolongé de réponse",
            "Le responsable peut prolonger de deux mois s'il vous en informe dans le premier "
            f"mois ({law.CITE['gdpr-delay']}). Sans réponse : commission départementale de "
            "vidéoprotection et CNIL.",
        )
    )
    return letter


PROCEDURE = Procedure(
    kind="videoprotection",
    title=_("Vidéoprotection : obtenir les images où j'apparais"),
    summary=_(
        "Une caméra de la ville vous a filmé·e : demandez les images au responsable indiqué "
        "sur le panneau (le plus souvent le maire), et qu'il les garde jusqu'à sa réponse. "
        "À envoyer tout de suite : les images sont détruites au bout d'un mois au plus."
    ),
    articles=("video", "gdpr-rights"),
    postage=_(
        "Aujourd'hui même : par courriel au délégué à la protection des données de la "
        "commune, ou remise en mairie contre récépissé, et par lettre recommandée avec "
        "demande d'avis de réception."
    ),
    registered_required=False,
    answer_months=1,
    next_step=_(
        "Sans réponse dans le mois, ou en cas de refus : saisissez de cette difficulté la "
        "commission départementale de vidéoprotection (à la préfecture), et adressez une "
        "plainte à la CNIL."
    ),
    attachments=(_("Copie recto verso de ma pièce d'identité"),),
    fields=(
        "surname",
        "given_names",
        "address",
        "email",
        "phone",
        "video_commune",
        "video_controller",
        "video_place",
        "video_date",
        "video_times",
        "video_description",
    )
    + LETTER,
    write=write,
    prefill=("video_commune",),
    tips=(
        _(
            "Le panneau à l'entrée de la zone filmée doit nommer le responsable et dire "
            "comment exercer vos droits : recopiez-le si c'est un autre que le maire."
        ),
    ),
)
