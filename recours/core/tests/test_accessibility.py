"""axe-core's automated WCAG 2.1 A and AA checks on the main pages, in Chromium.

axe catches perhaps a third of WCAG failures; the rest is checked by hand (keyboard,
screen reader, zoom): see the accessibility statement."""

import pytest

from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(browser, url, *, before=None, width=1280):
    """axe's WCAG 2.1 AA violations on the page at `width` CSS pixels, and a sideways
    scroll as one more (WCAG 1.4.10, reflow at 320 px; we check phones at 375)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url)
    if before:
        before(page)
    found = Axe().run(page, options=WCAG_AA).response["violations"]
    sideways = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    context.close()
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in found] + (
        [("scrolls-sideways", [url])] if sideways else []
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/technopolice/",
        "/technopolice/confidentialite/",
        "/technopolice/transparency/",
        "/technopolice/widget/",
        "/droits/",
        "/droits/taj-effacement/",
        "/droits/videoprotection/",
        "/droits/sources/",
        "/mentions-legales/",
        "/accessibilite/",
    ],
)
def test_pages_pass_axe_wcag_aa(browser, live_server, campaign, path):
    path = path.replace("technopolice", campaign.slug)

    assert violations(browser, live_server.url + path) == []


def test_sign_form_with_errors_passes_axe(browser, live_server, campaign):
    def submit_empty(page):
        page.wait_for_timeout(2100)
        page.get_by_role("button", name="Je signe le mandat").click()

    assert (
        violations(browser, live_server.url + campaign.get_absolute_url(), before=submit_empty)
        == []
    )


def test_letter_form_with_errors_passes_axe(browser, live_server, campaign):
    def submit_empty(page):
        page.get_by_role("button", name="Voir ma lettre").click()

    assert (
        violations(browser, live_server.url + "/droits/videoprotection/", before=submit_empty) == []
    )


def test_manage_page_passes_axe(browser, live_server, campaign, sign_data, client):
    from django.urls import reverse

    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    client.post(link_from(queued_mails()[0].body_text, "/confirmer/"))
    manage = link_from(queued_mails()[0].body_text, "/mandat/")

    assert violations(browser, live_server.url + manage) == []


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    "path",
    [
        "/technopolice/",
        "/technopolice/signer/verifiez-vos-mails/",
        "/technopolice/widget/",
        "/technopolice/mandat-papier/",
    ],
    ids=["campaign", "share-check-mail", "widget", "paper"],
)
def test_campaign_share_and_paper_pages_pass_axe_on_phones_and_wide(
    browser, live_server, campaign, path, width
):
    path = path.replace("technopolice", campaign.slug)

    assert violations(browser, live_server.url + path, width=width) == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_confirmed_page_with_its_share_panel_passes_axe(
    browser, live_server, campaign, sign_data, client, width
):
    from django.urls import reverse

    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    confirm = link_from(queued_mails()[0].body_text, "/confirmer/")

    def press_confirm(page):
        page.get_by_role("button", name="Confirmer mon mandat").click()
        page.wait_for_selector("#share-title")

    assert violations(browser, live_server.url + confirm, before=press_confirm, width=width) == []
