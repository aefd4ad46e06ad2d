"""The signing flow in headless Chromium (Debian's package, driven by Playwright), with
and without JavaScript. Screenshots of the campaign page land in test-artifacts/."""

import time
from pathlib import Path

import pytest

from recours.testing import link_from, queued_mails, record_received_signatures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def confirmed_count_shown(page) -> str:
    return page.locator(".counter__number").inner_text()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_sign_confirm_withdraw_in_a_browser(browser, live_server, campaign, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="fr-FR")
    page = context.new_page()
    url = live_server.url + campaign.get_absolute_url()
    console_errors, sign_bodies = [], []
    page.on(
        "console",
        lambda m: (
            console_errors.append((m.text, m.location.get("url"))) if m.type == "error" else None
        ),
    )
    page.on("response", lambda r: console_errors.append(r.url) if r.status == 404 else None)
    page.on(
        "request",
        lambda r: sign_bodies.append(r.post_data or "") if r.url.endswith("/signer/") else None,
    )

    page.goto(url)
    assert page.locator("h1").inner_text() == "Plainte contre la surveillance"
    assert confirmed_count_shown(page) == "0"
    page.get_by_label("Prénom(s)").fill("Marianne")
    page.locator("#id_surname").fill("Dupontel")
    page.get_by_label("Adresse électronique").fill("marianne@example.org")
    page.get_by_label("Adresse postale").fill("12 rue des Lilas\n69003 Lyon")
    page.get_by_label("Je donne mandat").check()
    page.get_by_label("J'ai lu la notice").check()
    time.sleep(2.1)  # a person takes longer than the form's minimum
    if javascript:
        # The proof-of-work widget started when the form got focus, solved its challenge
        # in a worker, and says so in our words.
        widget = page.locator("altcha-widget")
        widget.get_by_text("Vérifié").wait_for(timeout=15_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("form[data-pow-challenge]").screenshot(path=ARTIFACTS / "sign-form-js.png")
    else:
        assert page.locator("altcha-widget").count() == 0
    page.get_by_role("button", name="Je signe le mandat").click()
    assert page.locator("h1").inner_text() == "Vérifiez votre messagerie"
    assert ("altcha=" in sign_bodies[0]) is javascript
    assert console_errors == []  # no CSP violation, no script error

    record_received_signatures()  # the worker's turn
    body = queued_mails("confirm")[0].body_text
    page.goto(live_server.url + link_from(body, "/confirmer/"))
    page.get_by_role("button", name="Confirmer mon mandat").click()
    assert page.locator("h1").inner_text() == "Merci, votre mandat est confirmé"
    page.goto(url)
    assert confirmed_count_shown(page) == "1"

    page.goto(live_server.url + link_from(body, "/mandat/"))
    page.get_by_role("link", name="Retirer mon mandat").click()
    page.get_by_role("button", name="Oui, retirer mon mandat").click()
    assert page.locator("h1").inner_text() == "Votre mandat est retiré"
    page.goto(url)
    assert confirmed_count_shown(page) == "0"
    context.close()


def test_campaign_page_screenshots_narrow_and_wide(browser, live_server, campaign):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, width in (("narrow", 375), ("wide", 1280)):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
        page = context.new_page()
        page.goto(live_server.url + campaign.get_absolute_url())
        path = ARTIFACTS / f"campaign-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        assert path.stat().st_size > 10_000
        assert scroll_width == width  # nothing overflows sideways


def test_form_errors_are_announced_and_focused_with_js(browser, live_server, campaign):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + campaign.get_absolute_url())
    time.sleep(2.1)
    page.get_by_role("button", name="Je signe le mandat").click()
    page.wait_for_load_state("load")

    assert page.locator("#form-errors").get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert page.url.endswith("#resultat")  # without JavaScript, the page opens there too
    assert page.title().startswith("Erreur : ")
    assert page.locator("#form-errors a[href='#id_given_names']").count() == 1
    assert page.locator("#id_given_names").get_attribute("aria-invalid") == "true"
    context.close()


def test_language_switch_without_js(browser, live_server, campaign):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + campaign.get_absolute_url())
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Sign the mandate").count() == 1
    context.close()


def test_on_a_phone_the_sign_button_follows_the_reader(browser, live_server, campaign):
    context = browser.new_context(viewport={"width": 375, "height": 700}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + campaign.get_absolute_url())
    page.locator("#mandate-title").scroll_into_view_if_needed()  # deep in the texts

    button = page.locator(".sign-jump a")
    box = button.bounding_box()
    assert button.is_visible() and 0 <= box["y"] and box["y"] + box["height"] <= 700
    button.click()
    page.wait_for_timeout(800)  # the smooth scroll to the form
    assert page.locator("#sign-title").bounding_box()["y"] < 700
    page.screenshot(path=str(ARTIFACTS / "campaign-sign-jump-375.png"))
    context.close()

    wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    wide.goto(live_server.url + campaign.get_absolute_url())
    assert not wide.locator(".sign-jump a").is_visible()
    # Wide screens have no need of a jump: the form stands beside the texts, in view.
    assert not wide.locator(".sign-link a").is_visible()
    assert wide.locator("#sign-title").bounding_box()["y"] < 900
    assert wide.get_by_label("Prénom(s)").bounding_box()["y"] < 900
    wide.context.close()


def test_the_typeface_comes_from_our_own_static_files(browser, live_server, campaign):
    page = browser.new_context(locale="fr-FR").new_page()
    fonts = []
    page.on("request", lambda r: fonts.append(r.url) if r.resource_type == "font" else None)

    page.goto(live_server.url + campaign.get_absolute_url())
    page.evaluate("document.fonts.ready")

    assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')")
    family = page.locator("h1").evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Atkinson Hyperlegible"')
    assert fonts and all(url.startswith(live_server.url + "/static/core/fonts/") for url in fonts)
    page.context.close()


def test_a_second_visitor_signs_from_the_page_kept_for_the_first(
    browser, live_server, campaign, settings
):
    """The campaign page a process keeps and replays (core/microcache.py) carries each
    visitor's own form clock and sets no cookie: a second browser signs from it, the
    browser itself saying the form is ours (Sec-Fetch-Site, core/csrf.py)."""
    settings.MICROCACHE_SECONDS = 60  # surely replayed, however slow the machine
    url = live_server.url + campaign.get_absolute_url()
    first = browser.new_context(java_script_enabled=False, locale="fr-FR")
    first.new_page().goto(url)
    second = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = second.new_page()

    page.goto(url)
    page.get_by_label("Prénom(s)").fill("Marianne")
    page.locator("#id_surname").fill("Dupontel")
    page.get_by_label("Adresse électronique").fill("marianne@example.org")
    page.get_by_label("Adresse postale").fill("12 rue des Lilas\n69003 Lyon")
    page.get_by_label("Je donne mandat").check()
    page.get_by_label("J'ai lu la notice").check()
    time.sleep(2.1)
    page.get_by_role("button", name="Je signe le mandat").click()

    assert page.locator("h1").inner_text() == "Vérifiez votre messagerie"
    assert first.cookies() == second.cookies() == []  # the page sets no cookie
    record_received_signatures()  # the worker's turn
    assert [mail.template for mail in queued_mails()] == ["confirm"]
    first.close()
    second.close()


def test_a_sign_form_forged_on_another_page_is_refused(browser, live_server, campaign, sign_data):
    """Another site's page that posts our sign form, in a real browser: Chromium says
    the post is cross-site, and nothing is stored (core/csrf.py)."""
    from html import escape

    from recours.mandates.models import SignIntake

    fields = "".join(
        f'<input name="{escape(name)}" value="{escape(str(value))}">'
        for name, value in sign_data().items()
    )
    action = f"{live_server.url}/{campaign.slug}/signer/"
    context = browser.new_context(java_script_enabled=True)
    page = context.new_page()
    page.set_content(f'<form method="post" action="{action}">{fields}<button>go</button></form>')

    with page.expect_navigation() as navigation:
        page.click("button")

    assert navigation.value.status == 403
    assert not SignIntake.objects.exists()
    context.close()
