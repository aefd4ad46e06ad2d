"""The law the letters rest on, as REQUIREMENTS.md §4 and §4b record it from the texts,
and the addresses the letters go to.

This file is the one place where an article number, a text's name or an authority's
name is written: procedures, letters and pages read `CITE`, `ARTICLES` and the addresses
below, and a test refuses an article number anywhere else under rights/. When ordonnance
2025-1091 renumbers the code of criminal procedure (1 January 2029: the TAJ articles
become L. 3573-x and the chambre de l'instruction is renamed), it is one edit here.

What the research could not read in the text itself is said on the public sources page
(`uncertain`), never in a letter a person sends.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MINISTRY = (
    "Ministère de l'Intérieur\nDélégué à la protection des données\nPlace Beauvau\n75008 Paris"
)
MINISTRY_EMAIL = "delegue-protection-donnees@interieur.gouv.fr"
CNIL = "Commission nationale de l'informatique et des libertés (CNIL)\n3 place de Fontenoy\nTSA 80715\n75334 Paris Cedex 07"

# The judge of appeal against the prosecutor's decision (R40-31-1), renamed in 2029 (C9).
APPEAL_JUDGE = "président de la chambre de l'instruction"
APPEAL_BENCH = "chambre de l'instruction"

# How each text is cited inside a sentence of a letter, in French.
CITE = {
    "taj-erasure": "articles 230-8 et R40-31 du code de procédure pénale",
    "taj-erasure-decision": "article 230-8 du code de procédure pénale",
    "taj-referent": "article 230-9 du code de procédure pénale",
    "taj-appeal": "article R40-31-1 du code de procédure pénale",
    "taj-access": (
        "article R40-33 du code de procédure pénale et articles 104 à 106 de la loi "
        "n° 78-17 du 6 janvier 1978 (anciennement articles 70-18 à 70-20)"
    ),
    "lil-indirect": "article 108 de la loi n° 78-17 du 6 janvier 1978",
    "tes": "décret n° 2016-1460 du 28 octobre 2016, article 1er",
    "gdpr-access": "article 15 du règlement (UE) 2016/679 (RGPD)",
    "gdpr-rectification": "article 16 du règlement (UE) 2016/679 (RGPD)",
    "gdpr-delay": "article 12, paragraphe 3, du règlement (UE) 2016/679 (RGPD)",
    "lil-police-access": "article 105 de la loi n° 78-17 du 6 janvier 1978",
    "lil-police-restrictions": "article 107 de la loi n° 78-17 du 6 janvier 1978",
    "csi-rights": "article L255-1 du code de la sécurité intérieure",
    "csi-retention": "article L252-5 du code de la sécurité intérieure",
    "csi-commission": "article L253-5 du code de la sécurité intérieure",
}


@dataclass(frozen=True)
class Article:
    reference: str
    summary: str
    source: str
    read_on: str  # when the research read it (month and year)
    # What the research could not read in the text itself: shown on the sources page only.
    uncertain: str = ""


ARTICLES = {
    "taj-access": Article(
        "Code de procédure pénale, art. R40-33 ; loi n° 78-17, art. 104 à 106 et 108",
        _(
            "Le droit d'accès aux données du TAJ s'exerce directement auprès du ministère de "
            "l'Intérieur depuis le 4 août 2018. R40-33 cite encore les anciens articles 70-18 à "
            "70-22 de la loi Informatique et Libertés, renumérotés le 1er juin 2019 : 104 "
            "(information), 105 (accès), 106 (rectification et effacement), 107 (restrictions), "
            "108 (accès indirect par la CNIL)."
        ),
        "doctrine.fr, R40-33 ; textes parallèles citant les nouveaux numéros ; CNIL, « TAJ : "
        "comment exercer vos droits ? » (6 octobre 2025)",
        "novembre 2026",
    ),
    "taj-erasure": Article(
        "Code de procédure pénale, art. 230-8",
        _(
            "En cas de relaxe ou d'acquittement définitif, les données sont effacées, sauf si le "
            "procureur en prescrit le maintien ; une mention est alors portée et la personne en est "
            "informée. En cas de non-lieu ou de classement sans suite, les données font l'objet "
            "d'une mention, sauf si le procureur ordonne l'effacement."
        ),
        "koubi.fr (230-8, version 2018) ; service-public.fr F32727",
        "novembre 2026",
        _(
            "La rédaction lue est celle de juin 2018 ; ce que la loi n° 2019-222 y a changé le "
            "1er juin 2019 n'a pas été lu dans le texte. Les lettres disent donc ce qu'elles "
            "demandent en mots simples plutôt que de citer une rédaction non relue."
        ),
    ),
    "taj-referent": Article(
        "Code de procédure pénale, art. 230-9",
        _(
            "Un magistrat référent contrôle les fichiers d'antécédents. Quand les données "
            "viennent de plusieurs ressorts, le procureur saisi lui transmet la demande."
        ),
        "mdmh-avocats.fr ; copie non datée de 230-9",
        "novembre 2026",
        _(
            "Aucune adresse postale du magistrat référent n'est publiée : les lettres vont au "
            "procureur du tribunal qui a traité l'affaire, qui transmet. Une copie non datée "
            "de 230-9 (probablement 2016) lui donne un mois pour décider ; R40-31-1 en donne "
            "deux, délai retenu ici."
        ),
    ),
    "taj-erasure-request": Article(
        "Code de procédure pénale, art. R40-31",
        _(
            "La demande d'effacement, de rectification ou de mention est adressée au procureur "
            "ou au magistrat référent par lettre recommandée avec demande d'avis de réception, "
            "à peine d'irrecevabilité. Le dépôt contre récépissé n'existe pas pour le TAJ."
        ),
        "archeo-lex.fr, CPP au 4 août 2018 ; livv.eu",
        "novembre 2026",
    ),
    "taj-appeal": Article(
        "Code de procédure pénale, art. R40-31-1",
        _(
            "Le procureur ou le magistrat référent décide dans les deux mois ; son silence "
            "pendant deux mois vaut refus. Le refus, exprès ou implicite, peut être contesté "
            "dans le délai d'un mois (à compter de l'envoi du refus exprès) devant le président "
            "de la chambre de l'instruction, par une requête motivée à peine d'irrecevabilité, "
            "envoyée en recommandé avec demande d'avis de réception ou déclarée au greffe. Le "
            "président statue par ordonnance motivée dans les six mois."
        ),
        "app.livv.eu, R40-31-1",
        "novembre 2026",
    ),
    "taj-retention": Article(
        "Code de procédure pénale, art. R40-27",
        _(
            "Durée de conservation pour une personne majeure mise en cause : 20 ans en principe, "
            "5 ans pour certaines infractions, 40 ans pour les plus graves ; victimes : 15 ans au plus."
        ),
        "lexbase.fr L7617L4U (version du 30 septembre 2021)",
        "novembre 2026",
    ),
    "gdpr-rights": Article(
        "Règlement (UE) 2016/679 (RGPD), art. 12(3), 15 et 16",
        _(
            "Droit d'accès et de rectification ; réponse dans un délai d'un mois, qui peut être "
            "prolongé de deux mois."
        ),
        "RGPD, texte officiel (EUR-Lex)",
        "novembre 2026",
    ),
    "tes": Article(
        "Décret n° 2016-1460 du 28 octobre 2016, art. 1er",
        _(
            "Crée le traitement des titres électroniques sécurisés (TES), commun aux passeports "
            "et aux cartes nationales d'identité (il remplace le système du décret n° 2005-1726) : "
            "image du visage et empreintes digitales."
        ),
        "doctrine.fr ; koubi.fr",
        "novembre 2026",
        _(
            "L'article qui désigne où s'exercent les droits sur le TES n'a pas été trouvé : la "
            "lettre suit la voie générale du RGPD (art. 15 et 16) auprès du ministère de "
            "l'Intérieur, responsable du traitement. La possibilité de faire effacer ses "
            "empreintes après 90 jours n'est connue que par des sources secondaires : la lettre "
            "la demande sans citer de texte."
        ),
    ),
    "video": Article(
        "Code de la sécurité intérieure, art. L251-1 à L255-1 ; décret n° 2023-1102 ; "
        "loi n° 78-17, art. 105, 107, 108",
        _(
            "Depuis la loi n° 2023-380 (art. 9), le droit d'accès aux images de "
            "vidéoprotection s'exerce selon le RGPD et la loi Informatique et Libertés "
            "(L255-1), auprès de l'autorité responsable du système (R251-1). Les images sont "
            "détruites dans le délai fixé par l'autorisation, un mois au plus hors enquête "
            "(L252-5). Toute personne peut saisir la commission départementale de "
            "vidéoprotection de toute difficulté (L253-5)."
        ),
        "doctrine.fr ; tricoteuses.fr (CSI en vigueur) ; juriblio.fr",
        "novembre 2026",
        _(
            "La lettre est notre analyse pratique, pas un modèle officiel : l'article 105 de la "
            "loi Informatique et Libertés s'applique quand le système sert à prévenir les "
            "infractions, le RGPD dans les autres cas ; la lettre invoque les deux."
        ),
    ),
}
