"""A procedure is one declaration: the form, the rules, the letter and the guide read it."""

import pytest
from django.urls import reverse

from recours.rights.letters import compose
from recours.rights.procedures import LETTER, PROCEDURES, Procedure

pytestmark = [pytest.mark.integration]


def _write(procedure, data):
    return compose(procedure, data, addressee="Mairie de Testville", subject="Objet d'essai",
                   paragraphs=[f"Né·e à {data['birth_place']}."])  # fmt: skip


def _not_on_sunday(data):
    if data.get("letter_date") and data["letter_date"].isoweekday() == 7:
        yield "letter_date", "Pas le dimanche."


NEW = Procedure(
    kind="essai", title="Essai", summary="Une procédure déclarée dans un test.",
    articles=("gdpr-rights",), postage="Lettre simple.", registered_required=False,
    answer_months=1, next_step="Saisir la CNIL.", attachments=("Pièce d'identité",),
    fields=("surname", "given_names", "birth_date", "birth_place", "address") + LETTER,
    write=_write, rules=(_not_on_sunday,),
)  # fmt: skip
ANSWERS = {
    "surname": "Okonkwo", "given_names": "Ada", "birth_date": "1980-01-02",
    "birth_place": "Lagos", "address": "1 rue Haute\n75001 Paris", "letter_place": "Paris",
}  # fmt: skip


@pytest.fixture
def declared(monkeypatch):
    monkeypatch.setitem(PROCEDURES, "essai", NEW)
    return reverse("rights:letter", args=["essai"])


def test_every_shipped_procedure_writes_with_its_own_declaration():
    assert {kind: procedure.kind for kind, procedure in PROCEDURES.items()} == {
        "taj-acces": "taj-acces", "taj-cnil": "taj-cnil", "taj-effacement": "taj-effacement",
        "taj-recours": "taj-recours", "tes": "tes", "videoprotection": "videoprotection",
    }  # fmt: skip


def test_a_new_declaration_gets_its_form_rules_letter_and_guide_entry(client, declared):
    form_page = client.get(declared).content.decode()
    sunday = client.post(declared, ANSWERS | {"letter_date": "2026-11-29"})
    monday = client.post(declared, ANSWERS | {"letter_date": "2026-11-30", "action": "txt"})
    guide = client.get(reverse("rights:index")).content.decode()

    assert 'name="birth_place"' in form_page
    assert 'name="offence"' not in form_page  # only the declared fields
    assert sunday.status_code == 400
    assert "Pas le dimanche." in sunday.content.decode()
    text = monday.content.decode()
    assert monday.status_code == 200
    assert "Mairie de Testville" in text
    assert "Né·e à Lagos." in text
    assert "Essai" in guide


def test_every_legal_citation_is_written_in_law_py_only():
    """§4b C9: the 2029 renumbering of the code of criminal procedure is one edit."""
    import re
    from pathlib import Path

    rights = Path(__file__).resolve().parent.parent
    citation = re.compile(r"\b(?:[LRD] ?)?\d{2,4}-\d{1,4}(?:-\d+)?\b|\b70-\d\d\b")
    sources = [
        path
        for path in [*rights.rglob("*.py"), *rights.rglob("*.html")]
        if "tests" not in path.parts and path.name != "law.py"
    ]
    found = {
        f"{path.name}: {match}" for path in sources for match in citation.findall(path.read_text())
    }

    assert found == set()
