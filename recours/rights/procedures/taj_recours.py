from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recours.core.deadlines import Deadline, add_months
from recours.rights import law
from recours.rights.letters import (
    REQUEST_SENTENCES,
    case_sentence,
    compose,
    day,
    identity_sentence,
    of_place,
    outcome_sentence,
)
from recours.rights.procedures import CASE, DECISION, LETTER, REQUEST, SENDER, Procedure


def refused_on(data: dict):
    """The day the refusal was born: the sending of a written refusal, or two months
    after the request when the prosecutor kept silent (REQUIREMENTS §4b C2)."""
    if data["refusal_kind"] == "implicite":
        return add_months(data["request_date"], 2)
    return data["contested_date"]


def write(procedure, data):
    grounds = data.get("grounds") or "(exposez ici pourquoi la décision doit être réformée)"
    if data["refusal_kind"] == "implicite":
        contested = (
            "la décision implicite de refus née du silence gardé pendant deux mois sur ma "
            f"demande du {day(data['request_date'])}, relative aux données me concernant "
            "dans le traitement d'antécédents judiciaires (TAJ)"
        )
    else:
        contested = (
            f"la décision du {day(data['contested_date'])} par laquelle ma demande relative "
            "aux données me concernant dans le traitement d'antécédents judiciaires (TAJ) "
            "n'a pas été satisfaite"
        )
    letter = compose(
        procedure,
        data,
        addressee=f"Madame, Monsieur le {law.APPEAL_JUDGE.capitalize()}\n"
        f"Cour d'appel {of_place(data['appeal_city'])}",
        subject=f"Requête contre une décision relative au fichier TAJ ({law.CITE['taj-appeal']})",
        paragraphs=[
            "Madame, Monsieur le Président,",
            f"{identity_sentence(data)}, ai l'honneur de contester, en application de "
            f"l'{law.CITE['taj-appeal']}, {contested}.",
            case_sentence(data),
            outcome_sentence(data),
            f"Je demande {REQUEST_SENTENCES[data['request']]}, pour les motifs suivants : {grounds}",
            "Je joins "
            + ("la décision contestée, " if data["refusal_kind"] == "explicite" else "")
            + "ma demande initiale avec son avis de réception, la décision judiciaire qui me "
            "concerne et la copie de ma pièce d'identité.",
            "Je vous prie d'agréer, Madame, Monsieur le Président, l'expression de ma haute considération.",
        ],
    )
    limit = add_months(refused_on(data), 1)
    letter.deadlines.insert(
        0,
        Deadline(
            limit,
            "TAJ : dernier jour pour envoyer le recours",
            "Un mois à compter de l'envoi du refus, ou du jour où deux mois de silence ont "
            f"valu refus ({law.CITE['taj-appeal']}).",
        ),
    )
    if data["letter_date"] > limit:
        letter.warnings.append(
            gettext(
                "Attention : votre lettre est datée de plus d'un mois après le refus. Le "
                "recours risque d'être jugé tardif."
            )
        )
    return letter


def refusal_date_given(data: dict):
    """A written refusal has its date of sending; a silence, the date of the request."""
    kind = data.get("refusal_kind")
    if kind == "explicite" and not data.get("contested_date"):
        yield "contested_date", _("Indiquez la date d'envoi du refus.")
    if kind == "implicite" and not data.get("request_date"):
        yield "request_date", _("Indiquez la date à laquelle vous avez envoyé votre demande.")


PROCEDURE = Procedure(
    kind="taj-recours",
    title=_("TAJ : recours contre la décision du procureur"),
    summary=_(
        "Contre le refus du procureur ou du magistrat référent, écrit ou né de deux mois "
        "de silence : dans le mois, devant le président de la chambre de l'instruction de "
        "la cour d'appel. La requête doit être motivée, sinon elle est irrecevable."
    ),
    articles=("taj-appeal", "taj-erasure"),
    postage=_(
        "Lettre recommandée avec demande d'avis de réception, ou déclaration au greffe de la "
        "chambre de l'instruction."
    ),
    registered_required=True,
    answer_months=0,
    next_step=_(
        "Délai : un mois à compter de l'envoi du refus, ou de la fin des deux mois de "
        "silence. Le président statue par ordonnance motivée dans les six mois."
    ),
    attachments=(
        _("Copie de la décision contestée, s'il y en a une écrite"),
        _("Copie de ma demande et de son avis de réception"),
        _("Copie de la décision judiciaire qui me concerne (relaxe, non-lieu…)"),
        _("Copie recto verso de ma pièce d'identité"),
    ),
    fields=SENDER
    + CASE
    + DECISION
    + ("refusal_kind", "contested_date", "request_date", "appeal_city")
    + REQUEST
    + LETTER,
    write=write,
    rules=(refusal_date_given,),
)
