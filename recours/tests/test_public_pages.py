"""Every public page at 375 px without sideways scrolling, and every form, without
JavaScript, answering an error where the visitor can see it (issue 15). Real Chromium;
screenshots of each page land in test-artifacts/narrow/."""

from pathlib import Path

import pytest
from django.urls import reverse

from recours.campaigns.domain import published_texts
from recours.mandates import domain
from recours.mandates.identity import SignerIdentity
from recours.observatory.models import Claim, Evidence, InventoryEntry, Place
from recours.rights.procedures import PROCEDURES
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "narrow"
LONG_URL = (
    "https://www.example-prefecture.gouv.fr/content/download/" + "tres-long-segment-" * 8 + ".pdf"
)


def square(lon, lat, size=0.05):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def site(campaign):
    """A campaign with one signer, and a commune with a long-sourced record."""
    domain.sign_mandate(
        campaign=campaign,
        identity=SignerIdentity(
            "Élodie", "Müller", "elodie@example.org", "3 place du Marché\n67000 Strasbourg"
        ),
        texts=published_texts(campaign),
        language="fr",
    )
    body = queued_mails()[-1].body_text
    departement = Place.objects.create(kind="departement", code="67", name="Bas-Rhin")
    commune = Place.objects.create(
        kind="commune", code="67482", name="Strasbourg", population=291_313, parent=departement,
        geometry=square(7.7, 48.55), min_lon=7.7, min_lat=48.55, max_lon=7.75, max_lat=48.6,
    )  # fmt: skip
    claim = Claim.objects.create(place=commune, technology="cctv", status="in_service",
                                 confidence="official", quantity=400)  # fmt: skip
    Evidence.objects.create(claim=claim, kind="document", title=LONG_URL, url=LONG_URL)
    InventoryEntry.objects.create(claim=claim, reference="1", location_text="Place Kléber",
                                  precision="crossing", lon=7.745, lat=48.583)  # fmt: skip
    return {
        "campaign": campaign,
        "confirm": link_from(body, "/confirmer/"),
        "manage": link_from(body, "/mandat/"),
        "commune": commune,
    }


def public_paths(site) -> list[str]:
    campaign, commune = site["campaign"], site["commune"]
    return [
        reverse("campaigns:home"),
        campaign.get_absolute_url(),
        reverse("mandates:check_mail", args=[campaign.slug]),
        reverse("mandates:transparency", args=[campaign.slug]),
        reverse("campaigns:privacy", args=[campaign.slug]),
        reverse("campaigns:widget", args=[campaign.slug]),
        site["manage"],
        site["confirm"],
        reverse("observatory:index"),
        reverse("observatory:index") + "?mesure=fipd",
        commune.get_absolute_url(),
        commune.parent.get_absolute_url(),
        reverse("observatory:search") + "?q=stras",
        reverse("observatory:downloads"),
        reverse("observatory:vendors"),
        reverse("observatory:technology", args=["cctv"]),
        reverse("observatory:inventory", args=[Claim.objects.get().pk]),
        reverse("observatory:report_lead"),
        reverse("observatory:request_letter", args=["commune", commune.code]),
        reverse("rights:index"),
        reverse("rights:sources"),
        *[reverse("rights:letter", args=[kind]) for kind in PROCEDURES],
        reverse("legal_notice"),
        reverse("accessibility"),
    ]


def test_no_public_page_scrolls_sideways_on_a_phone(browser, live_server, site):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="fr-FR")
    page = context.new_page()
    wide = {}
    for number, path in enumerate(public_paths(site)):
        response = page.goto(live_server.url + path)
        assert response.status < 400, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[path] = width
        name = "_".join(path.strip("/").split("/")[:2])[:40] or "home"  # no token in a name
        page.screenshot(path=ARTIFACTS / f"{number:02d}-{name}.png", full_page=True)
    # The confirmed page comes after the confirmation's POST.
    page.goto(live_server.url + site["confirm"])
    page.locator("form button[type=submit]").first.click()
    if page.evaluate("document.documentElement.scrollWidth") > 375:
        wide["confirmed"] = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert wide == {}


def forms_with_errors(site) -> list[tuple[str, str]]:
    """Each form, and the button that sends it empty."""
    campaign, commune = site["campaign"], site["commune"]
    return [
        (campaign.get_absolute_url(), "Je signe le mandat"),
        (reverse("rights:letter", args=["taj-acces"]), "Voir ma lettre"),
        (reverse("rights:letter", args=["videoprotection"]), "Voir ma lettre"),
        (reverse("observatory:report_lead"), "Envoyer"),
        (reverse("observatory:request_letter", args=["commune", commune.code]), "Voir la lettre"),
        (site["manage"].rstrip("/") + "/demande/", "Envoyer ma demande"),
    ]


def test_without_javascript_an_error_opens_the_page_at_its_summary(browser, live_server, site):
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 375, "height": 800},
        locale="fr-FR",
        reduced_motion="reduce",  # the jump to the summary, not a smooth scroll mid-way
    )
    page = context.new_page()
    for path, button in forms_with_errors(site):
        page.goto(live_server.url + path)
        page.get_by_role("button", name=button).click()

        summary = page.locator("#form-errors")
        assert page.url.endswith("#resultat"), path
        assert page.title().startswith("Erreur : "), path
        assert summary.locator("a").count() >= 1, path
        first = summary.locator("a").first.get_attribute("href")
        assert page.locator(first).count() == 1, (path, first)  # each link leads to its field
        top = summary.bounding_box()["y"]
        assert -1 <= top < 800, (path, top)  # in view, not below a long page
    context.close()


def _luminance(rgb: str) -> float:
    red, green, blue = (
        int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]
    )
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


MEASURE = """elements => elements.filter(e => e.offsetParent !== null).map(e => {
  const style = getComputedStyle(e);
  return [e.name || e.id, e.type || e.tagName, e.getBoundingClientRect().height,
          style.borderTopColor, style.borderTopWidth, style.backgroundColor];
})"""


def test_every_input_meets_target_size_and_border_contrast(browser, live_server, site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="fr-FR")
    page = context.new_page()
    problems = []
    for path, _button in forms_with_errors(site):
        page.goto(live_server.url + path)
        fields = page.locator(
            "main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main textarea"
        )
        for name, kind, height, border, width, background in fields.evaluate_all(MEASURE):
            if height < 24:
                problems.append(f"{path} {name} ({kind}): {height:.0f} px tall")
            if float(width[:-2]) < 1 or contrast(border, background) < 3:
                problems.append(f"{path} {name} ({kind}): border {border} on {background}")
    context.close()

    assert problems == []
