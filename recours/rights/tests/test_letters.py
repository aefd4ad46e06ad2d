"""Each letter, for several situations, read back from its PDF, text and ODT."""

import io
import logging
import zipfile
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from pypdf import PdfReader

from recours.rights.procedures import build_letter

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
        ("non_lieu", "a prononcé un non-lieu"),
        ("classement", "a classé la procédure sans suite"),
        ("casier_vierge", "ne porte plus mention de condamnation"),
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
    assert "recommandée avec avis de réception OBLIGATOIRE" in text


def test_erasure_to_the_magistrat_referent(client, db):
    response = post(client, "taj-effacement", outcome="non_lieu", use_referent="on", court_city="")

    page = response.content.decode()
    assert response.status_code == 200
    assert "magistrat référent" in page
    assert "Tribunal judiciaire de Paris" in page


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

    assert [d.day for d in letter.deadlines] == [date(2027, 2, 28), date(2027, 3, 28)]


@pytest.mark.parametrize(
    ("kind", "extra", "addressee", "basis"),
    [
        ("taj-acces", {}, "Place Beauvau", "article R40-33 du code de procédure pénale"),
        (
            "taj-cnil",
            {"first_request_date": "2026-08-01", "refusal": "silence"},
            "3 place de Fontenoy",
            "restée sans réponse",
        ),
        (
            "taj-recours",
            {
                "outcome": "classement",
                "contested_date": "2026-11-02",
                "appeal_city": "Aix-en-Provence",
            },
            "Cour d'appel de Aix-en-Provence",
            "article R40-31-1",
        ),
        (
            "tes",
            {"tes_request": "empreintes"},
            "Délégué à la protection des données",
            "décret n° 2021-279",
        ),
        ("tes", {"tes_request": "acces"}, "Place Beauvau", "article 15 du RGPD"),
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
        client, "taj-recours", outcome="relaxe", contested_date="2026-09-01", appeal_city="Paris"
    ).content.decode()

    assert "le recours risque d&#x27;être tardif" in page


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
        ({"court_city": "", "use_referent": ""}, "court_city", "Indiquez la ville du tribunal"),
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
