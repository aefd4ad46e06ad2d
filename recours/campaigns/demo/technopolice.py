"""The demo campaign: the 2022 collective complaint against the Technopolice, before the
CNIL. Texts written for Recours from public facts; the sources are listed with each ground.
The representative organisation's registration number is marked as fictitious."""

SLUG = "technopolice"

ORGANISATION = {
    "name": "La Quadrature du Net",
    "legal_form": "association loi 1901",
    "registration_number": "W000000000 (fictif, démonstration)",
    "registered_office": "115 rue de Ménilmontant\n75020 Paris",
    "statutory_object": (
        "Défendre les droits et libertés fondamentales dans l'environnement numérique, "
        "dont la protection des données personnelles et de la vie privée."
    ),
    "signatory": "Le ou la représentante légale de l'association",
    "website": "https://www.laquadrature.net/",
    "contact_email": "contact@example.org",
    "dpo_contact": "dpo@example.org",
}

CAMPAIGN = {
    "title": "Plainte collective contre la Technopolice",
    "summary": (
        "Fichiers de police géants, un million de caméras, reconnaissance faciale, "
        "vidéosurveillance algorithmique : donnez mandat pour attaquer devant la CNIL les "
        "quatre piliers de la surveillance policière. Signez et partagez la plainte."
    ),
    "authority": "Commission nationale de l'informatique et des libertés (CNIL)",
    "authority_address": "3 place de Fontenoy\nTSA 80715\n75334 Paris Cedex 07",
    "respondent": "Ministère de l'Intérieur",
    "legal_basis": (
        "RGPD, articles 77 et 80(1) ; directive (UE) 2016/680, articles 52 à 55 ; "
        "loi n° 78-17 du 6 janvier 1978, article 80."
    ),
    "goal": 15000,
    "milestones": [50, 100, 500, 1000, 5000, 10000],
    "asks_postal_address": True,
    "body": """\
Nous, les personnes qui signons ce mandat, demandons à la CNIL de constater que le
ministère de l'Intérieur traite nos données en violation du droit de la protection des
données, et de lui ordonner d'y mettre fin.

La surveillance policière s'est étendue ces dernières années sans débat ni cadre : des
fichiers qui retiennent des millions de personnes, des caméras partout, des logiciels qui
reconnaissent les visages et d'autres qui signalent des comportements « suspects ». Chacun
de ces dispositifs traite nos données sans base légale suffisante, sans nécessité démontrée
et sans proportionnalité. Ensemble, ils forment la **Technopolice**.

Cette plainte attaque ses quatre piliers, exposés ci-dessous avec leurs sources.
""",
    "mandate_text": """\
Je donne mandat à l'association désignée ci-dessous pour, en mon nom :

1. introduire une réclamation auprès de la CNIL contre le ministère de l'Intérieur
   (article 77 du RGPD ; articles 52 et 55 de la directive 2016/680) ;
2. recevoir en mon nom les correspondances de la CNIL relatives à cette réclamation ;
3. exercer les recours juridictionnels contre les décisions de la CNIL et contre le
   responsable de traitement (articles 78 et 79 du RGPD ; articles 53 et 54 de la
   directive 2016/680).

Ce mandat ne couvre pas de demande de réparation. Il vaut jusqu'à la clôture définitive de
la procédure, recours compris. **Je peux le retirer à tout moment, sans motif**, depuis le
lien de gestion qui m'est envoyé par e-mail ; il cesse alors de produire effet pour l'avenir.

Je déclare être personnellement concerné·e par les traitements visés.
""",
}

GROUNDS = [
    {
        "title": "Les méga-fichiers de police : TAJ et TES",
        "text": """\
Le fichier de traitement des antécédents judiciaires (TAJ) concerne **plus de 19 millions
de personnes**. Il est rarement mis à jour : des personnes relaxées ou acquittées y restent
inscrites comme « mises en cause », jusqu'à 20 ans, et cette inscription est consultée lors
des enquêtes administratives pour de nombreux emplois.

Le fichier des titres électroniques sécurisés (TES) centralise la photographie et les
empreintes digitales de **toute personne titulaire d'une carte d'identité**, alors que la
puce de la carte contient déjà ces données : la centralisation n'est pas nécessaire.
""",
        "sources": [
            {
                "title": "Rapport d'information sur les fichiers mis à la disposition des forces de sécurité",
                "publisher": "Assemblée nationale, commission des lois",
                "date": "2018-10-17",
                "url": "https://www.assemblee-nationale.fr/dyn/15/rapports/cion_lois/l15b1335_rapport-information",
            },
            {
                "title": "Décret n° 2016-1460 du 28 octobre 2016 autorisant la création d'un traitement de données à caractère personnel relatif aux passeports et aux cartes nationales d'identité",
                "publisher": "Légifrance",
                "date": "2016-10-30",
                "url": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000033318345",
            },
        ],
    },
    {
        "title": "Un million de caméras sans utilité démontrée",
        "text": """\
On compte **environ un million de caméras** de vidéosurveillance en France. La Cour des
comptes relevait en 2020 qu'aucune étude ne démontre leur efficacité contre la délinquance.
L'État les finance pourtant : le fonds interministériel de prévention de la délinquance
(FIPD) leur a consacré l'essentiel de ses **80 millions d'euros en 2022**.
""",
        "sources": [
            {
                "title": "Les polices municipales, rapport public thématique",
                "publisher": "Cour des comptes",
                "date": "2020-10-20",
                "url": "https://www.ccomptes.fr/fr/publications/les-polices-municipales",
            },
            {
                "title": "Plainte collective contre la Technopolice",
                "publisher": "La Quadrature du Net",
                "date": "2022-05-24",
                "url": "https://www.laquadrature.net/2022/05/24/plainte-collective-contre-la-technopolice/",
            },
        ],
    },
    {
        "title": "La reconnaissance faciale, sans cadre légal",
        "text": """\
La police utilise la reconnaissance faciale sur les photographies du TAJ **plus de 1 600
fois par jour**. Aucune loi n'autorise ni n'encadre cet usage de données biométriques,
qui exige pourtant une nécessité absolue et une base légale précise.
""",
        "sources": [
            {
                "title": "La reconnaissance biométrique dans l'espace public : 30 propositions pour écarter le risque d'une société de surveillance",
                "publisher": "Sénat, commission des lois",
                "date": "2022-05-10",
                "url": "https://www.senat.fr/rap/r21-627/r21-627.html",
            },
        ],
    },
    {
        "title": "La vidéosurveillance algorithmique",
        "text": """\
Des logiciels analysent les images des caméras pour signaler automatiquement des personnes
ou des comportements jugés « suspects ». Ils soumettent chaque passant à une évaluation
permanente, sans base légale, et déplacent le jugement policier vers des algorithmes opaques.
""",
        "sources": [
            {
                "title": "Caméras dites « intelligentes » ou « augmentées » dans les espaces publics : position sur les conditions de déploiement",
                "publisher": "CNIL",
                "date": "2022-07-19",
                "url": "https://www.cnil.fr/fr/deploiement-de-cameras-augmentees-dans-les-espaces-publics-la-cnil-publie-sa-position",
            },
        ],
    },
]

# Fictitious signers sealed to the demo key, so that the counter is not zero.
DEMO_SIGNERS = [
    ("Camille", "Martin"),
    ("Lucas", "Bernard"),
    ("Inès", "Dubois"),
    ("Hugo", "Thomas"),
    ("Léa", "Robert"),
    ("Nathan", "Richard"),
    ("Chloé", "Petit"),
    ("Yanis", "Durand"),
    ("Manon", "Leroy"),
    ("Adam", "Moreau"),
    ("Zoé", "Simon"),
    ("Louis", "Laurent"),
    ("Jade", "Lefebvre"),
    ("Gabriel", "Michel"),
    ("Emma", "Garcia"),
    ("Raphaël", "David"),
    ("Alice", "Bertrand"),
    ("Noé", "Roux"),
    ("Lina", "Vincent"),
    ("Arthur", "Fournier"),
    ("Sarah", "Morel"),
    ("Mohamed", "Girard"),
    ("Louise", "André"),
    ("Jules", "Lefèvre"),
    ("Anna", "Mercier"),
    ("Paul", "Dupont"),
    ("Rose", "Lambert"),
    ("Tom", "Bonnet"),
    ("Mila", "François"),
    ("Ethan", "Martinez"),
    ("Nina", "Legrand"),
    ("Sacha", "Garnier"),
]
