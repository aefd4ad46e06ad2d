"""The observatory in headless Chromium: the map draws the communes and their legend from
our own static files, shows cameras when zoomed in, and the pages pass axe's WCAG 2.1 AA
checks. Screenshots land in test-artifacts/."""

from pathlib import Path

import pytest
from django.urls import reverse

from recours.core.tests.test_accessibility import violations
from recours.observatory.models import Claim, InventoryEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_the_map_draws_communes_a_legend_and_cameras_when_zoomed(browser, live_server, record):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1100, "height": 1300})
    page = context.new_page()
    problems, outside = [], []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("request", lambda request: not request.url.startswith(live_server.url)
            and outside.append(request.url))  # fmt: skip

    with page.expect_response(lambda r: "/carte/communes.geojson" in r.url) as communes:
        page.goto(live_server.url + reverse("observatory:index"))
    assert communes.value.status == 200
    page.wait_for_selector("#map canvas")
    assert page.locator("#map").is_visible()
    assert page.locator("#map-legend li").count() == 6  # nothing + five classes
    page.select_option("#id_mesure", "vsa")  # recoloured in place, no reload
    legend = [text.strip() for text in page.locator("#map-legend li").all_inner_texts()]
    assert legend == ["rien de recensé", "oui"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "observatory-map.png")

    page = context.new_page()  # France's outlines joined to the measures, sent apart
    with page.expect_response(lambda r: "/carte/mesures.json" in r.url):
        page.goto(live_server.url + reverse("observatory:index") + "#9/43.7/7.25")
    page.wait_for_selector("#map canvas")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("a").inner_text() == "Nice"
    assert "vidéosurveillance algorithmique : oui" in popup.inner_text()

    page = context.new_page()  # a shared link to a view of Nice, zoomed in
    permit = Claim.objects.create(place=record, technology="cctv", status="in_service",
                                  confidence="official")  # fmt: skip
    InventoryEntry.objects.create(claim=permit, reference="N-12", location_text="Place Masséna",
                                  precision="crossing", lon=7.221, lat=43.701)  # fmt: skip
    with (
        page.expect_response(lambda r: "/carte/cameras.geojson" in r.url) as cameras,
        page.expect_response(lambda r: "/carte/autorisations.geojson" in r.url) as permits,
    ):
        page.goto(live_server.url + reverse("observatory:index") + "#15/43.7/7.22")
    assert cameras.value.status == 200
    assert len(cameras.value.json()["features"]) >= 1
    assert [f["properties"]["reference"] for f in permits.value.json()["features"]] == ["N-12"]
    page.wait_for_timeout(300)
    assert page.locator(".map-status").inner_text() == ""
    page.screenshot(path=ARTIFACTS / "observatory-map-zoomed.png")
    page.locator("#map").focus()
    page.keyboard.press("Minus")  # the keyboard zooms too; the link follows the view
    for _ in range(30):  # polled from here: the site's CSP forbids evaluated strings
        if "#14/" in page.url:
            break
        page.wait_for_timeout(100)
    assert "#14/43.7" in page.url
    assert problems == [] and outside == []
    context.close()


def test_without_javascript_the_table_carries_the_map(browser, live_server, record):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("observatory:index"))

    assert not page.locator("#map").is_visible()
    assert page.locator("table.data tbody tr").first.inner_text().startswith("Nice")
    page.select_option("#id_mesure", "fipd")
    page.get_by_role("button", name="Afficher").click()
    assert "mesure=fipd" in page.url
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/observatoire/",
        "/observatoire/lieu/commune/06088/",
        "/observatoire/communes/",
        "/observatoire/recherche/?q=e",
        "/observatoire/technologie/vsa/",
        "/observatoire/donnees/",
        "/observatoire/signaler/",
        "/observatoire/lieu/commune/06088/demande-de-documents/",
        "/observatoire/lieu/departement/06/",
    ],
)
def test_observatory_pages_pass_axe_wcag_aa(browser, live_server, record, path):
    assert violations(browser, live_server.url + path) == []


def test_lead_form_with_errors_passes_axe(browser, live_server, record):
    def submit_empty(page):
        page.get_by_role("button", name="Envoyer").click()

    assert (
        violations(browser, live_server.url + "/observatoire/signaler/", before=submit_empty) == []
    )


def test_a_camera_popup_shows_its_tags_as_text_never_as_markup(browser, live_server, record):
    from recours.observatory.models import OsmCamera

    OsmCamera.objects.filter(osm_id=2).update(camera_type='<img src="x" id="injected">')
    context = browser.new_context(locale="fr-FR", viewport={"width": 1100, "height": 1300})
    page = context.new_page()
    with page.expect_response(lambda r: "/carte/cameras.geojson" in r.url):
        page.goto(live_server.url + reverse("observatory:index") + "#18/43.7/7.22")
    page.wait_for_load_state("networkidle")  # the map settles, its last layers drawn
    page.wait_for_timeout(300)
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()

    assert popup.inner_text() == 'Caméra OpenStreetMap node/2 · <img src="x" id="injected">'
    assert page.locator("#injected").count() == 0
    context.close()
