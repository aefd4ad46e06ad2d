import re

import pytest
from django.urls import reverse

from recours.campaigns.models import Campaign
from recours.core.testing import make_campaign
from recours.mandates.models import Mandate

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


def test_count_json_is_open_to_other_sites_and_cacheable(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_count=3)

    response = client.get(reverse("campaigns:count_json", args=[campaign.slug]))

    assert response.json() == {
        "campaign": "plainte-test",
        "confirmed": 3,
        "goal": 100,
        "status": "open",
        "accepting_signatures": True,
        "closes_at": campaign.closes_at.isoformat(),
    }
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=10"


def test_count_json_reads_no_rows_of_mandates(client, campaign, django_assert_num_queries):
    Mandate.objects.all().delete()
    url = reverse("campaigns:count_json", args=[campaign.slug])
    client.get(url)

    with django_assert_num_queries(1):  # the campaign; the count comes from the cache
        client.get(url)


def test_badge_is_an_svg_with_the_count(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(confirmed_count=13380)

    response = client.get(reverse("campaigns:badge", args=[campaign.slug]))

    assert response["Content-Type"] == "image/svg+xml"
    assert "<title>13\xa0380 mandats</title>" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("mastodon.social", "mastodon.social"),
        ("https://Piaille.fr/", "piaille.fr"),
        ("@moi@framapiaf.org", "framapiaf.org"),
    ],
)
def test_mastodon_share_goes_to_the_visitors_instance(client, campaign, typed, host):
    response = client.get(
        reverse("campaigns:share_mastodon", args=[campaign.slug]), {"instance": typed}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(f"https://{host}/share?text=Plainte+contre+la")


@pytest.mark.parametrize("typed", ["", "javascript:alert(1)", "evil.example/path?x", "a b.org"])
def test_mastodon_share_refuses_what_is_not_a_host(client, campaign, typed):
    response = client.get(
        reverse("campaigns:share_mastodon", args=[campaign.slug]), {"instance": typed}
    )

    assert response.status_code == 400
    assert "Nous ne reconnaissons pas cette instance" in response.content.decode()


def test_privacy_notice_names_controller_recipients_and_rights(client, campaign):
    page = client.get(reverse("campaigns:privacy", args=[campaign.slug])).content.decode()

    assert "Association Vigie" in page
    assert "CNIL et, s'il y a lieu, les juridictions saisies" in page
    assert "Vous pouvez retirer votre mandat à tout moment" in page


@pytest.mark.parametrize("count", [1, 3])
def test_home_lists_open_campaigns_in_constant_queries(
    client, organisation, keypair, count, django_assert_num_queries
):
    for index in range(count):
        make_campaign(organisation, keypair[0], slug=f"c{index}")

    with django_assert_num_queries(2):
        response = client.get(reverse("campaigns:home"))

    assert response.content.decode().count('class="card"') == count


def test_legal_and_accessibility_pages(client):
    legal = client.get(reverse("legal_notice"))
    accessibility = client.get(reverse("accessibility"))

    assert (legal.status_code, accessibility.status_code) == (200, 200)
    assert "Hébergement" in legal.content.decode()
    assert "WCAG 2.1" in accessibility.content.decode()


def test_cached_campaign_page_gives_every_visitor_a_working_form(campaign, sign_data):
    from django.test import Client

    from recours.mandates.models import Mandate

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [client.get(campaign.get_absolute_url()).content.decode() for client in (first, second)]
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1) for page in pages
    ]
    clocks = [re.search(r'name="clock" value="([^"]+)"', page).group(1) for page in pages]

    assert pages[0].replace(tokens[0], "").replace(clocks[0], "") == pages[1].replace(
        tokens[1], ""
    ).replace(clocks[1], "")
    assert clocks[0] != clocks[1]
    for client, token, email in zip(
        (first, second), tokens, ("a@example.org", "b@example.org"), strict=True
    ):
        response = client.post(
            reverse("mandates:sign", args=[campaign.slug]),
            sign_data(email=email, csrfmiddlewaretoken=token),
        )
        assert response.status_code == 302
    assert Mandate.objects.count() == 2
