import io

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_acquitted_person_writes_the_erasure_request(browser, live_server, javascript):
    context = browser.new_context(
        java_script_enabled=javascript, locale="fr-FR", accept_downloads=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/droits/")
    page.get_by_role("link", name="demander l'effacement", exact=True).click()

    page.locator("#id_surname").fill("Quenneville")
    page.get_by_label("Prénom(s)").fill("Ysolde")
    page.get_by_label("Date de naissance").fill("1990-04-12")
    page.get_by_label("Lieu de naissance").fill("Roubaix (France)")
    page.get_by_label("Adresse postale").fill("17 impasse des Glycines\n13002 Marseille")
    page.get_by_label("Mis·e en cause (suspecté·e)").check()
    page.get_by_label("Acquittement (cour d'assises)").check()
    page.get_by_label("Date de la décision").fill("2022-05-10")
    page.get_by_label("Juridiction ou autorité qui a décidé").fill(
        "cour d'assises des Bouches-du-Rhône"
    )
    page.get_by_label("Ville du tribunal judiciaire qui a traité l'affaire").fill("Aix-en-Provence")
    page.get_by_label("L'effacement des données me concernant").check()
    page.get_by_label("Date de la lettre").fill("2026-11-20")
    page.get_by_label("Fait à (ville)").fill("Marseille")
    page.get_by_role("button", name="Voir ma lettre").click()
    # The answer replaces the page: wait for it rather than read the page being left.
    page.get_by_role("heading", name="Votre lettre").wait_for()

    assert page.get_by_role("heading", name="Votre lettre").count() == 1
    assert "Tribunal judiciaire d'Aix-en-Provence" in page.locator(".letter").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF à imprimer").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "j'ai été acquitté·e" in " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    context.close()
