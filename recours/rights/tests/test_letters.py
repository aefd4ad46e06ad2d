"""Each letter, for several situations, read back from its PDF, text and ODT."""

import io
import logging
import zipfile
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from recours.rights.letters import of_place
from recours.rights.procedures import PROCEDURES, build_letter
from recours.testing import NAMES_IN_EVERY_SCRIPT, name_words, pdf_missing_glyphs, readable

pytestmark = pytest.mark.integration

PERSON = {
    "surname": "Quenneville",
    "given_names": "Ysolde",
    "birth_name": "",
    "birth_date": "1990-04-12",
    "birth_place": "Roubaix (France)",
    "address": "17 impasse des Glycines-Bleues\n13002 Marseille",
    "email": "ysolde@example.org",
    "phone": "",
    "capacity": "mis_en_cause",
    "letter_date": "2026-11-20",
    "letter_place": "Marseille",
}
CASE = {
    "case_date": "2019-06-03",
    "case_place": "Marseille",
    "case_unit": "commissariat du 2e arrondissement",
    "case_reference": "PV 2019/004512",
    "offence": "outrage",
    "decision_date": "2021-02-10",
    "decision_court": "tribunal correctionnel de Marseille",
    "request": "effacement",
    "grounds": "Je postule à un emploi qui exige une enquête administrative.",
}


def post(client, kind, action="preview", **overrides):
    data = {**PERSON, **CASE, **overrides, "action": action}
    return client.post(reverse("rights:letter", args=[kind]), data)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("outcome", "phrase"),
    [
        ("relaxe", "j'ai été relaxé·e"),
        ("acquittement", "j'ai été acquitté·e"),
        ("non_lieu", "Marseille a prononcé un"),
        ("classement", "a classé la procédure sans suite"),
        ("casier_vierge", "ne porte plus mention de la condamnation"),
    ],
)
def test_erasure_letter_for_each_outcome_reads_back_from_the_pdf(client, db, outcome, phrase):
    response = post(client, "taj-effacement", "pdf", outcome=outcome, court_city="Marseille")

    text = flat(pdf_text(response.content))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, max-age=0, no-cache, must-revalidate, private"
    assert "procureur de la République Tribunal judiciaire de Marseille" in text
    assert "article 230-8 du code de procédure pénale" in text
    assert "Ysolde QUENNEVILLE" in text
    assert phrase in text
    assert "À Marseille, le 20 novembre 2026" in text
    assert "10 février 2021" in text
    assert "recommandée avec demande d'avis de réception OBLIGATOIRE" in text
    assert "récépissé" not in text  # R40-31: no deposit route for the TAJ (§4b C1)


def test_erasure_for_several_jurisdictions_goes_to_the_local_prosecutor_who_forwards(client, db):
    """No postal address of the magistrat référent is published (§4b C6)."""
    response = post(
        client, "taj-effacement", "txt", outcome="non_lieu", use_referent="on", court_city="Lille"
    )
    without_city = post(
        client, "taj-effacement", outcome="non_lieu", use_referent="on", court_city=""
    )

    text = flat(response.content.decode())
    assert "procureur de la République Tribunal judiciaire de Lille" in text
    assert "transmettre la présente demande au magistrat référent prévu à l'article 230-9" in text
    assert "Parvis" not in text and "Tribunal judiciaire de Paris" not in text
    assert without_city.status_code == 400


@pytest.mark.parametrize(
    ("court", "sentence"),
    [
        ("tribunal correctionnel de Lyon", "Par décision du 1er mars 2021 du tribunal correctionnel de Lyon"),
        ("cour d'assises du Rhône", "Par décision du 1er mars 2021 de la cour d'assises du Rhône"),
        ("Tribunal de police de Brest", "Par décision du 1er mars 2021 du Tribunal de police de Brest"),
    ],
)  # fmt: skip
def test_the_court_is_written_as_french_writes_it(client, db, court, sentence):
    text = flat(
        post(
            client, "taj-effacement", "txt", outcome="relaxe", court_city="Lyon",
            decision_court=court, decision_date="2021-03-01",
        ).content.decode()
    )  # fmt: skip

    assert sentence in text


def test_the_prosecutor_of_a_non_lieu_is_named_with_its_article(client, db):
    text = flat(
        post(
            client, "taj-effacement", "txt", outcome="non_lieu", court_city="Lyon",
            decision_court="juge d'instruction de Lyon", decision_date="2021-03-02",
        ).content.decode()
    )  # fmt: skip

    assert "Par ordonnance du 2 mars 2021, le juge d'instruction de Lyon a prononcé" in text


def test_erasure_deadlines_two_months_then_one(client, db):
    letter = build_letter(
        "taj-effacement",
        {
            **PERSON,
            **CASE,
            "outcome": "relaxe",
            "court_city": "Marseille",
            "use_referent": False,
            "birth_date": date(1990, 4, 12),
            "letter_date": date(2026, 12, 31),
            "decision_date": date(2021, 2, 10),
            "case_date": date(2019, 6, 3),
        },
    )

    # Two months of silence are a refusal, which opens one month to appeal (§4b C2).
    assert [d.day for d in letter.deadlines] == [date(2027, 2, 28), date(2027, 3, 28)]
    assert "Deux mois de silence valent refus" in letter.deadlines[1].description


@pytest.mark.parametrize(
    ("kind", "extra", "addressee", "basis"),
    [
        (
            "taj-acces",
            {},
            "Place Beauvau",
            "article R40-33 du code de procédure pénale et articles 104 à 106 de la loi n° 78-17 "
            "du 6 janvier 1978 (anciennement articles 70-18 à 70-20)",
        ),
        (
            "taj-cnil",
            {"first_request_date": "2026-08-01", "refusal": "silence"},
            "3 place de Fontenoy",
            "article 108 de la loi n° 78-17",
        ),
        (
            "taj-recours",
            {
                "outcome": "classement",
                "refusal_kind": "explicite",
                "contested_date": "2026-11-02",
                "appeal_city": "Aix-en-Provence",
            },
            "Cour d'appel d'Aix-en-Provence",
            "article R40-31-1",
        ),
        (
            "tes",
            {"tes_request": "empreintes"},
            "Délégué à la protection des données",
            "décret n° 2016-1460 du 28 octobre 2016, article 1er",
        ),
        ("tes", {"tes_request": "acces"}, "Place Beauvau", "article 15 du règlement (UE) 2016/679"),
    ],
)
def test_each_letter_kind_names_its_addressee_and_basis(client, db, kind, extra, addressee, basis):
    response = post(client, kind, "pdf", **extra)

    text = flat(pdf_text(response.content))
    assert response.status_code == 200
    assert addressee in text
    assert basis in text
    assert "Ysolde QUENNEVILLE" in text


def test_late_appeal_is_flagged(client, db):
    page = post(
        client, "taj-recours", outcome="relaxe", refusal_kind="explicite",
        contested_date="2026-09-01", appeal_city="Paris",
    ).content.decode()  # fmt: skip

    assert "Le recours risque d&#x27;être jugé tardif" in page


def test_appeal_against_silence_counts_two_months_then_one(client, db):
    """R40-31-1 (§4b C2): a request sent on 15 July is refused by silence on 15
    September; the appeal is due by 15 October."""
    letter = build_letter(
        "taj-recours",
        {**PERSON, **CASE, "outcome": "relaxe", "refusal_kind": "implicite",
         "request_date": date(2026, 7, 15), "appeal_city": "Rennes",
         "birth_date": date(1990, 4, 12), "letter_date": date(2026, 10, 1),
         "decision_date": date(2021, 2, 10), "case_date": date(2019, 6, 3)},
    )  # fmt: skip
    ics = post(
        Client(), "taj-recours", "ics", outcome="relaxe", refusal_kind="implicite",
        request_date="2026-07-15", appeal_city="Rennes", letter_date="2026-10-01",
    ).content.decode()  # fmt: skip

    assert letter.deadlines[0].day == date(2026, 10, 15)
    assert "décision implicite de refus née du silence gardé pendant deux mois" in " ".join(
        letter.paragraphs
    )
    assert "DTSTART;VALUE=DATE:20261015" in ics


def test_appeal_needs_the_date_its_kind_of_refusal_runs_from(client, db):
    written = post(
        client, "taj-recours", outcome="relaxe", refusal_kind="explicite", appeal_city="Lyon"
    )
    silence = post(
        client, "taj-recours", outcome="relaxe", refusal_kind="implicite", appeal_city="Lyon"
    )

    assert written.status_code == silence.status_code == 400
    assert "Indiquez la date d&#x27;envoi du refus." in written.content.decode()
    assert "Indiquez la date à laquelle vous avez envoyé votre demande." in silence.content.decode()


def test_text_odt_and_calendar_downloads(client, db):
    text = post(client, "taj-acces", "txt").content.decode()
    odt = post(client, "taj-acces", "odt").content
    ics = post(client, "taj-acces", "ics").content.decode()

    assert text.startswith("Ysolde QUENNEVILLE\n")
    assert "Objet : Demande d'accès aux données me concernant dans le fichier TAJ" in text
    archive = zipfile.ZipFile(io.BytesIO(odt))
    assert archive.namelist()[0] == "mimetype"
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    assert "Ysolde QUENNEVILLE" in archive.read("content.xml").decode()
    assert "DTSTART;VALUE=DATE:20270120" in ics


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"decision_date": (date.today() + timedelta(days=3)).isoformat()},
            "decision_date",
            "Cette date est dans le futur.",
        ),
        (
            {"letter_date": "2020-01-01"},
            "letter_date",
            "La lettre ne peut pas être datée d&#x27;avant la décision.",
        ),
        ({"surname": ""}, "surname", "Ce champ est obligatoire."),
        ({"grounds": "x" * 3001}, "grounds", "au plus 3000 caractères"),
        ({"birth_date": "31/02/1990"}, "birth_date", "Saisissez une date valide."),
        ({"court_city": "", "use_referent": ""}, "court_city", "Ce champ est obligatoire."),
        ({"surname": "Quenne\x00ville"}, "surname", "Le caractère nul n’est pas autorisé."),
    ],
)
def test_bad_answers_get_clear_messages(client, db, overrides, field, message):
    answers = {"outcome": "relaxe", "court_city": "Marseille"} | overrides
    response = post(client, "taj-effacement", "pdf", **answers)

    page = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert message in page
    assert f'id="id_{field}_error"' in page


def test_unknown_letter_kind_is_not_found(client, db):
    response = client.get(reverse("rights:letter", args=["inconnue"]))

    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_generating_letters_stores_nothing_and_logs_nothing(client, caplog, capsys):
    def row_counts():
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    before = row_counts()
    caplog.set_level(logging.DEBUG)
    for action in ("preview", "pdf", "odt", "txt", "ics"):
        post(client, "taj-effacement", action, outcome="relaxe", court_city="Marseille")
    post(client, "taj-effacement", "pdf", outcome="relaxe", court_city="", birth_date="bad")

    captured = capsys.readouterr()
    logs = caplog.text + captured.out + captured.err
    assert row_counts() == before
    for secret in ("Quenneville", "Ysolde", "Glycines", "PV 2019/004512", "enquête administrative"):
        assert secret not in logs


def test_save_then_load_brings_the_answers_back(client, db):
    saved = post(
        client,
        "taj-effacement",
        "save",
        outcome="relaxe",
        court_city="Marseille",
        passphrase="ma phrase de passe longue",
    )
    upload = io.BytesIO(saved.content)
    upload.name = "lettre.recours"

    response = client.post(
        reverse("rights:load"), {"file": upload, "passphrase": "ma phrase de passe longue"}
    )

    page = response.content.decode()
    assert saved["Content-Disposition"] == 'attachment; filename="lettre-taj-effacement.recours"'
    assert b"Quenneville" not in saved.content
    assert response.status_code == 200
    assert 'value="Quenneville"' in page
    assert "Vos réponses enregistrées ont été rechargées." in page


def test_save_needs_a_long_enough_passphrase(client, db):
    response = post(client, "taj-acces", "save", passphrase="court")

    assert response.status_code == 400
    assert "au moins 10 caractères" in response.content.decode()


def test_wrong_passphrase_or_corrupt_file_gets_a_clear_message(client, db):
    saved = post(client, "taj-acces", "save", passphrase="ma phrase de passe longue").content
    for content, passphrase, message in (
        (saved, "une autre phrase de passe", "La phrase de passe ne correspond pas"),
        (saved[:40], "ma phrase de passe longue", "abîmé ou incomplet"),
        (b"%PDF-1.7 not ours", "ma phrase de passe longue", "abîmé ou incomplet"),
    ):
        upload = io.BytesIO(content)
        upload.name = "x.recours"
        response = client.post(reverse("rights:load"), {"file": upload, "passphrase": passphrase})
        assert response.status_code == 400
        assert message in response.content.decode()


@pytest.mark.parametrize("script", sorted(NAMES_IN_EVERY_SCRIPT))
def test_a_name_in_any_script_is_drawn_and_reads_back_in_the_letter(client, script):
    given, surname = NAMES_IN_EVERY_SCRIPT[script]
    response = post(client, "taj-acces", action="pdf", given_names=given, surname=surname)

    assert response.status_code == 200
    assert pdf_missing_glyphs(io.BytesIO(response.content)) == 0
    text = readable(pdf_text(response.content))
    for word in name_words(given, surname):
        assert word in text


def test_footage_letter_asks_the_mayor_to_keep_the_images_and_is_sent_at_once(client, db):
    """§4b C7: GDPR Art. 15 and loi 78-17 art. 105 to the controller, preservation asked,
    footage gone within a month at most."""
    form = client.get(reverse("rights:letter", args=["videoprotection"]) + "?video_commune=Nantes")
    response = post(
        client, "videoprotection", "txt", video_commune="Nantes",
        video_place="place du Commerce, devant la FNAC", video_date="2026-11-14",
        video_times="entre 17 h 30 et 18 h", video_description="manteau rouge",
        letter_date="2026-11-20",
    )  # fmt: skip
    late = post(
        client, "videoprotection", video_commune="Nantes", video_place="gare",
        video_date="2026-09-01", letter_date="2026-11-20",
    ).content.decode()  # fmt: skip

    text = flat(response.content.decode())
    assert 'value="Nantes"' in form.content.decode()
    assert "Madame, Monsieur le Maire Mairie de Nantes" in text
    assert "article 15 du règlement (UE) 2016/679 (RGPD)" in text
    assert "article 105 de la loi n° 78-17" in text
    assert "conserver dès réception de cette lettre les images me concernant" in text
    assert "le 14 novembre 2026, entre 17 h 30 et 18 h" in text
    assert "NGUYỄN" not in text and "QUENNEVILLE vous demande, en votre qualité" in text
    assert "me reconnaître : manteau rouge." in text
    assert "Né·e le" not in text  # what the request does not need is not asked
    assert "images ont sans doute déjà été détruites" in late


def test_footage_letter_to_the_controller_on_the_sign(client, db):
    text = flat(
        post(
            client, "videoprotection", "txt", video_commune="Lyon", video_place="gare Part-Dieu",
            video_date="2026-11-14", video_controller="Métropole de Lyon\nDélégué à la protection des données",
        ).content.decode()
    )  # fmt: skip

    assert "Métropole de Lyon Délégué à la protection des données" in text
    assert "Mairie de Lyon" not in text
    assert "Madame, Monsieur," in text


def test_no_research_note_reaches_a_letter_and_the_sources_page_says_them(client, db):
    sources = client.get(reverse("rights:sources")).content.decode()
    letters = [
        post(client, kind, "txt", **extra).content.decode()
        for kind, extra in [
            ("taj-acces", {}),
            ("taj-effacement", {"outcome": "relaxe", "court_city": "Lyon"}),
            ("tes", {"tes_request": "empreintes"}),
        ]
    ]
    pages = [
        client.get(reverse("rights:letter", args=[kind])).content.decode() for kind in PROCEDURES
    ]

    for text in letters + pages:
        assert "vérifier" not in text.lower()
        assert "Parvis du Tribunal" not in text
    assert "Incertain :" in sources
    assert "lu en novembre 2026" in sources
    assert "Aucune adresse postale du magistrat référent" in sources


@pytest.mark.unit
@pytest.mark.parametrize(
    ("town", "written"),
    [("Lyon", "de Lyon"), ("Aix-en-Provence", "d'Aix-en-Provence"), ("Évry", "d'Évry"),
     ("Le Havre", "du Havre"), ("Les Sables-d'Olonne", "des Sables-d'Olonne"),
     ("La Rochelle", "de La Rochelle"), ("L'Isle-Adam", "de L'Isle-Adam"), ("Hyères", "d'Hyères")],
)  # fmt: skip
def test_a_town_is_written_with_de_as_french_does(town, written):
    assert of_place(town) == written
