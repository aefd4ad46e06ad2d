"""The law the letters rest on, as REQUIREMENTS.md §4 records it with its sources, and the
addresses they go to.

Each fact says where it comes from; `to_check` marks what the research could not confirm
against the official text, and the pages show it as such. Keep this file the one place
where the law is written down: procedures, letters and pages read it, nothing else
restates it (a renumbering of the code is one edit here).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MINISTRY = (
    "Ministère de l'Intérieur\nDélégué à la protection des données\nPlace Beauvau\n75008 Paris"
)
MINISTRY_EMAIL = "delegue-protection-donnees@interieur.gouv.fr"
CNIL = "Commission nationale de l'informatique et des libertés (CNIL)\n3 place de Fontenoy\nTSA 80715\n75334 Paris Cedex 07"
REFERENT = (
    "Monsieur ou Madame le magistrat référent\nchargé du contrôle des fichiers d'antécédents\n"
    "Tribunal judiciaire de Paris\nParvis du Tribunal de Paris\n75017 Paris"
)


@dataclass(frozen=True)
class Article:
    reference: str
    summary: str
    source: str
    to_check: str = ""


ARTICLES = {
    "R40-33": Article(
        "Code de procédure pénale, art. R40-33 II",
        _(
            "Le droit d'accès aux données du TAJ s'exerce directement auprès du ministère de "
            "l'Intérieur depuis le 4 août 2018."
        ),
        "doctrine.fr, R40-33 (2018) ; CNIL, « TAJ : comment exercer vos droits ? » (6 octobre 2025)",
        _(
            "Les articles de la loi Informatique et Libertés cités par R40-33 ont été renumérotés en 2018-2019."
        ),
    ),
    "230-8": Article(
        "Code de procédure pénale, art. 230-8",
        _(
            "En cas de relaxe ou d'acquittement définitif, les données sont effacées, sauf si le "
            "procureur en prescrit le maintien ; une mention est alors portée et la personne en est "
            "informée. En cas de non-lieu ou de classement sans suite, les données font l'objet "
            "d'une mention, sauf si le procureur ordonne l'effacement. Le procureur se prononce "
            "dans un délai de deux mois."
        ),
        "koubi.fr (230-8, version 2018) ; service-public.fr F32727",
        _(
            "Le texte cité est celui de juin 2018, conforme au résumé actuel de service-public ; "
            "la rédaction en vigueur depuis le 1er juin 2019 n'a pas été relue."
        ),
    ),
    "230-9": Article(
        "Code de procédure pénale, art. 230-9",
        _(
            "Un magistrat référent, désigné pour trois ans, contrôle les fichiers d'antécédents et "
            "peut être saisi directement, notamment quand plusieurs ressorts sont concernés."
        ),
        "mdmh-avocats.fr",
        _(
            "L'adresse postale du magistrat référent (tribunal judiciaire de Paris) est à confirmer "
            "auprès du tribunal avant l'envoi."
        ),
    ),
    "R40-31": Article(
        "Code de procédure pénale, art. R40-31",
        _(
            "La demande d'effacement, de rectification ou de mention est adressée par lettre "
            "recommandée avec demande d'avis de réception, ou déposée contre récépissé, à peine "
            "d'irrecevabilité."
        ),
        "archeo-lex.fr, CPP au 4 août 2018",
    ),
    "R40-31-1": Article(
        "Code de procédure pénale, art. R40-31-1",
        _(
            "La décision du procureur ou du magistrat référent peut être contestée, dans le délai "
            "d'un mois, devant le président de la chambre de l'instruction, par une requête motivée "
            "envoyée en recommandé avec avis de réception ou déposée au greffe."
        ),
        "app.livv.eu, R40-31-1",
    ),
    "R40-27": Article(
        "Code de procédure pénale, art. R40-27",
        _(
            "Durée de conservation pour une personne majeure mise en cause : 20 ans en principe, "
            "5 ans pour certaines infractions, 40 ans pour les plus graves ; victimes : 15 ans au plus."
        ),
        "lexbase.fr L7617L4U (version du 30 septembre 2021)",
    ),
    "RGPD-15-16": Article(
        "Règlement (UE) 2016/679 (RGPD), art. 12(3), 15 et 16",
        _("Droit d'accès et de rectification ; réponse dans un délai d'un mois."),
        "RGPD",
        _(
            "Pour le TES, l'article du décret qui désigne où s'exercent les droits n'a pas été "
            "trouvé : cette voie (le délégué du ministère) est provisoire."
        ),
    ),
    "TES": Article(
        "Décret n° 2005-1726, étendu aux cartes d'identité par le décret n° 2016-1460",
        _(
            "Le TES contient l'image du visage et les empreintes digitales, conservées 15 ans (10 ans "
            "pour les passeports des mineurs). Depuis le décret n° 2021-279, les demandeurs d'une "
            "carte d'identité peuvent faire effacer leurs empreintes au-delà de 90 jours."
        ),
        "koubi.fr ; affaires-publiques.org ; fr.wikipedia.org, Fichier TES",
        _("Les conditions de l'effacement des empreintes (décret 2021-279) sont à relire."),
    ),
}
