import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from recours.campaigns.domain import published_texts
from recours.campaigns.models import Campaign
from recours.mandates.campaign_page import CLOCK_SLOT, TEMPLATE, VIA_SLOT, page_context
from recours.mandates.forms import SignForm, form_clock
from recours.mandates.models import Mandate
from recours.testing import WorkerClient

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_campaign_page_shows_counter_time_left_grounds_and_form(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_count=42)

    response = client.get(campaign.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert (
        '<span class="counter__number" data-count-url="/plainte-test/count.json">42</span>' in page
    )
    assert "Plus que 4 jours pour signer" in page
    assert "<h4>Les caméras</h4>" in page
    assert "Cour des comptes" in page
    assert campaign.versions.get(kind="complaint").sha256 in page
    assert 'autocomplete="given-name"' in page
    assert '<meta property="og:title" content="Plainte contre la surveillance">' in page


def test_campaign_page_in_english(client, campaign):
    response = client.get(campaign.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "4 days left to sign" in page
    assert "Sign the mandate" in page


def test_closed_campaign_shows_final_count_and_no_form(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="closed", confirmed_count=7)

    page = client.get(campaign.get_absolute_url()).content.decode()

    assert "La signature est close : 7 personnes ont donné mandat." in page
    assert 'action="/plainte-test/signer/"' not in page


def test_draft_campaign_is_not_public(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="draft")

    response = client.get(campaign.get_absolute_url())

    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_cached_campaign_page_gives_every_visitor_a_working_form(campaign, sign_data):
    """No cookie and no CSRF token: each visitor's page differs by its form clock only,
    and signs from a browser that says it is on our page (core/csrf.py)."""
    first, second = WorkerClient(enforce_csrf_checks=True), WorkerClient(enforce_csrf_checks=True)
    answers = [client.get(campaign.get_absolute_url()) for client in (first, second)]
    pages = [answer.content.decode() for answer in answers]
    clocks = [re.search(r'name="clock" value="([^"]+)"', page).group(1) for page in pages]

    assert pages[0].replace(clocks[0], "") == pages[1].replace(clocks[1], "")
    assert clocks[0] != clocks[1]
    assert "csrfmiddlewaretoken" not in pages[0]
    assert not any(answer.cookies for answer in answers)
    for client, email in zip((first, second), ("a@example.org", "b@example.org"), strict=True):
        response = client.post(
            reverse("mandates:sign", args=[campaign.slug]),
            sign_data(email=email),
            HTTP_SEC_FETCH_SITE="same-origin",
            HTTP_ORIGIN="http://testserver",
        )
        assert response.status_code == 302
    assert Mandate.objects.count() == 2


def _without_slot_values(html: str) -> str:
    return html.replace(re.search(r'name="clock" value="([^"]+)"', html).group(1), "…")


def test_cached_page_is_the_page_rendered_without_slots(client, rf, campaign):
    """The slots cannot drift from the markup: the page served first (rendered) and then
    (from the cache) equals the template rendered the plain way, with a real token and
    clock, but for those two values."""
    url = campaign.get_absolute_url() + "?via=link"
    served = [client.get(url).content.decode() for _ in range(2)]
    request = rf.get(url)
    texts = published_texts(campaign)
    form = SignForm(
        asks_postal_address=campaign.asks_postal_address,
        initial={
            "clock": form_clock(),
            "via": "link",
            "complaint_version": texts.complaint.pk,
            "mandate_version": texts.mandate.pk,
        },
    )
    plain = render_to_string(TEMPLATE, page_context(request, campaign, form), request)

    assert CLOCK_SLOT not in served[1] and VIA_SLOT not in served[1]
    assert _without_slot_values(served[0]) == _without_slot_values(plain)
    assert _without_slot_values(served[1]) == _without_slot_values(plain)


def test_page_with_form_errors_carries_a_fresh_clock(client, campaign, sign_data):
    response = client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data(surname=""))

    page = response.content.decode()
    assert response.status_code == 400
    assert CLOCK_SLOT not in page
    assert re.search(r'name="clock" value="([^"]+)"', page).group(1) != ""
