"""The console in headless Chromium: a new organiser from the invitation mail to an
opened campaign, its dashboard, news and closing; then a moderator's first lead. With
JavaScript the organiser enrols a passkey (Chromium's virtual authenticator, over CDP);
without it, an authenticator app. Screenshots land in test-artifacts/."""

from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from recours.campaigns.domain import published_texts
from recours.campaigns.models import Campaign
from recours.console import domain, second_factor
from recours.console.models import Membership, Passkey
from recours.core.crypto import fingerprint, generate_keypair
from recours.mandates import domain as mandates
from recours.mandates.identity import SignerIdentity
from recours.observatory.models import Claim, Lead, Place
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"console-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def submit(page, label):
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def add_virtual_authenticator(context, page):
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
    }})  # fmt: skip


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_new_organiser_runs_a_campaign_from_invitation_to_closing(
    browser, live_server, organisation, settings, javascript
):
    settings.SITE_URL = live_server.url
    inviter = User.objects.create_superuser("root", "root@example.org", "a long passphrase 42")
    domain.invite_member(organisation=organisation, email="nour@example.org", role="organiser",
                         by=inviter)  # fmt: skip
    link = link_from(queued_mails("console-invitation")[0].body_text, "/console/invitation/")
    context = browser.new_context(java_script_enabled=javascript, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    if javascript:
        add_virtual_authenticator(context, page)

    # The invitation, a password, then a second factor.
    page.goto(live_server.url + link)
    page.fill("#id_username", "nour")
    page.fill("#id_password", "correct horse battery 9")
    submit(page, "Accepter")
    assert page.locator("h1").inner_text() == "Protégez votre compte par un second facteur"
    shoot(page, "enrol")
    if javascript:
        page.fill("#id_name", "Ordinateur du local")
        page.get_by_role("button", name="Créer une clé d'accès").click()
        page.locator("h1", has_text="Vos codes de secours").wait_for()
        assert Passkey.objects.get().name == "Ordinateur du local"
    else:
        assert page.locator("[data-passkey]").is_hidden()
        secret = "".join(page.locator(".totp-secret").inner_text().split())
        page.fill("#id_code", pyotp.TOTP(secret).now())
        submit(page, "Activer")
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="Je les ai notés, continuer").click()
    assert page.locator("h1").inner_text() == "Console"

    # A campaign, step by step.
    page.get_by_role("link", name=organisation.name).click()
    page.get_by_role("link", name="Nouvelle campagne").click()
    page.fill("#id_title", "Contre la VSA à Lyon")
    page.fill("#id_slug", "vsa-lyon")
    submit(page, "Créer le brouillon")
    page.get_by_role("link", name="La plainte : texte, autorité, fondement").click()
    for field, value in {
        "summary": "Lyon expérimente la VSA.", "body": "## Les faits\n\nDes caméras **analysent**.",
        "legal_basis": "RGPD, article 80", "authority": "CNIL",
        "respondent": "Métropole de Lyon",
    }.items():  # fmt: skip
        page.fill(f"#id_{field}", value)
    submit(page, "Enregistrer et voir l'aperçu")
    assert page.locator(".preview-banner").is_visible()
    assert page.locator("strong", has_text="analysent").count() == 1
    page.go_back()
    page.goto(live_server.url + "/console/campagnes/vsa-lyon/griefs/nouveau/")
    page.fill("#id_title", "Aucune base légale")
    page.fill("#id_text", "Aucun texte ne l'autorise.")
    page.fill("#id_sources-0-title", "Délibération")
    page.fill("#id_sources-0-publisher", "CNIL")
    page.fill("#id_sources-0-url", "https://www.cnil.fr/vsa")
    submit(page, "Enregistrer le grief et ses sources")
    page.goto(live_server.url + "/console/campagnes/vsa-lyon/mandat/")
    page.fill("#id_mandate_text", "Je donne mandat à l'association.")
    submit(page, "Enregistrer")
    page.goto(live_server.url + "/console/campagnes/vsa-lyon/calendrier/")
    page.fill("#id_goal", "500")
    now = timezone.localtime()
    page.fill("#id_opens_at", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_closes_at", (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"))
    submit(page, "Enregistrer")
    public, _private = generate_keypair()
    page.goto(live_server.url + "/console/campagnes/vsa-lyon/cle/")
    page.fill("#id_public_key", public)
    submit(page, "Enregistrer la clé publique")
    assert page.locator(".fingerprint").inner_text() == fingerprint(public)
    shoot(page, "key")
    page.goto(live_server.url + "/console/campagnes/vsa-lyon/publier/")
    shoot(page, "publish")
    page.get_by_label("J'ai lu ce que fait cette étape et je la confirme").check()
    submit(page, "Publier cette version")
    page.get_by_role("link", name="Passer au statut « ouverte »").click()
    page.get_by_label("J'ai lu ce que fait cette étape et je la confirme").check()
    submit(page, "Passer à « ouverte »")
    campaign = Campaign.objects.get(slug="vsa-lyon")
    assert campaign.status == "open"
    shoot(page, "campaign")

    # A signer confirms; the dashboard shows it, as a count.
    mandates.sign_mandate(campaign=campaign, texts=published_texts(campaign), language="fr",
                          identity=SignerIdentity("Léa", "Martin", "lea@example.org", "",
                                                  contact_updates=True))  # fmt: skip
    token = link_from(queued_mails("confirm")[0].body_text, "/confirmer/").split("/")[-2]
    mandates.confirm_mandate(token=token)
    page.get_by_role("link", name="Chiffres").click()
    assert page.locator(".stat-row strong").first.inner_text() == "1"
    funnel = page.locator("#h-funnel ~ *, section[aria-labelledby=h-funnel] table")
    assert "< 5" in funnel.last.inner_text()
    assert page.locator("svg.chart").count() == 6  # no share link was followed yet
    assert page.get_by_text("Pas encore de données.").count() == 2  # shares and visits
    shoot(page, "dashboard")

    # News, then closing.
    page.goto(live_server.url + "/console/campagnes/vsa-lyon/nouvelles/")
    page.fill("#id_subject", "La plainte avance")
    page.fill("#id_body", "Merci d'avoir **signé**.")
    submit(page, "Enregistrer et voir l'aperçu")
    assert "Elle partira à 1 signataire" in page.locator("main").inner_text()
    page.get_by_label("J'ai lu ce que fait cette étape et je la confirme").check()
    submit(page, "Envoyer maintenant")
    assert "Envoyée le" in page.locator(".notice").inner_text()
    assert queued_mails("update")[0].to == "lea@example.org"
    page.goto(live_server.url + "/console/campagnes/vsa-lyon/statut/")
    page.get_by_label("J'ai lu ce que fait cette étape et je la confirme").check()
    submit(page, "Passer à « close »")
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert errors == []
    context.close()


def test_a_moderator_signs_in_with_a_code_and_accepts_a_lead_without_javascript(
    browser, live_server, organisation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    moderator = User.objects.create_user("modo", "modo@example.org", "a long passphrase 42")
    Membership.objects.create(user=moderator, organisation=organisation, role="moderator")
    secret = second_factor.start_totp(moderator)
    second_factor.verify_totp(moderator, pyotp.TOTP(secret).at(timezone.now().timestamp() - 30),
                              confirming=True)  # fmt: skip
    place = Place.objects.create(kind="commune", code="69123", name="Lyon", population=520_000,
                                 search_name="lyon")  # fmt: skip
    lead = Lead.objects.create(
        place_text="Lyon", technology="vsa", description="Vu place Bellecour."
    )
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()

    page.goto(live_server.url + "/console/")
    page.fill("#id_username", "modo")
    page.fill("#id_password", "a long passphrase 42")
    submit(page, "Continuer")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    submit(page, "Vérifier le code")
    page.get_by_role("link", name="Signalements à traiter").click()
    page.get_by_role("link", name="Lyon").click()
    page.fill("#id_place_query", "lyon")
    page.locator("button[name=search_place]").click()
    page.get_by_label("Lyon (69123)").check()
    page.select_option("#id_status", "trial")
    page.select_option("#id_confidence", "press")
    shoot(page, "lead")
    submit(page, "Créer la fiche")

    claim = Claim.objects.get()
    assert (claim.place, claim.status) == (place, "trial")
    lead.refresh_from_db()
    assert lead.status == "accepted"
    assert page.locator("h1").inner_text().startswith("Lyon")
    context.close()
