"""axe-core's WCAG 2.1 A and AA checks on the console's pages, in Chromium, signed in as a
superuser (who sees every page), and on the sign-in pages."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from recours.core.tests.test_accessibility import WCAG_AA
from recours.observatory.models import Claim, Lead, Place
from recours.testing import signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def violations(browser, url, session=None):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(locale="fr-FR")
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": url}])
    page = context.new_page()
    page.goto(url)
    found = Axe().run(page, options=WCAG_AA).response["violations"]
    context.close()
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in found]


def test_console_pages_pass_axe_wcag_aa(browser, live_server, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    place = Place.objects.create(kind="commune", code="75056", name="Paris", search_name="paris")
    Claim.objects.create(place=place, technology="vsa", status="trial", confidence="press")
    lead = Lead.objects.create(place_text="Paris", technology="vsa", description="Des caméras.")
    root = User.objects.create_superuser("root", "root@example.org", "a long passphrase 42")
    session = signed_in(Client(), root).cookies["sessionid"].value
    slug, org = campaign.slug, campaign.organisation_id
    pages = [
        reverse("console:home"),
        reverse("console:organisation", args=[org]),
        reverse("console:activity", args=[org]),
        reverse("console:campaign", args=[slug]),
        reverse("console:texts", args=[slug]),
        reverse("console:ground", args=[slug, campaign.grounds.first().pk]),
        reverse("console:calendar", args=[slug]),
        reverse("console:key", args=[slug]),
        reverse("console:publish", args=[slug]),
        reverse("console:status", args=[slug]),
        reverse("console:dashboard", args=[slug]),
        reverse("console:news_list", args=[slug]),
        reverse("console:paper", args=[slug]),
        reverse("console:federation", args=[slug]),
        reverse("console:security"),
        reverse("console:leads"),
        reverse("console:lead", args=[lead.pk]),
        reverse("console:claims"),
    ]

    found = {path: violations(browser, live_server.url + path, session) for path in pages}
    found[reverse("console:login")] = violations(
        browser, live_server.url + reverse("console:login")
    )

    assert {path: v for path, v in found.items() if v} == {}
