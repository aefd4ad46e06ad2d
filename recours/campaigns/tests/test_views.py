import pytest
from django.urls import reverse

from recours.campaigns.models import Campaign
from recours.testing import make_campaign

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


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
    url = reverse("campaigns:count_json", args=[campaign.slug])
    client.get(url)

    with django_assert_num_queries(0):  # the campaign and the count come from the cache
        client.get(url)


def test_a_status_change_or_an_edit_shows_at_once_despite_the_cache(client, campaign):
    from recours.campaigns.domain import change_campaign_status

    url = reverse("campaigns:count_json", args=[campaign.slug])
    assert client.get(url).json()["goal"] == 100
    campaign.goal = 250
    campaign.save()  # as the console and the admin do
    assert client.get(url).json()["goal"] == 250
    change_campaign_status(campaign=campaign, to=Campaign.Status.CLOSED, by="test")
    assert client.get(url).json()["accepting_signatures"] is False
    organisation = campaign.organisation
    organisation.name = "Association Vigie renommée"
    organisation.save()
    assert "Association Vigie renommée" in client.get(campaign.get_absolute_url()).text


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
    assert response["Location"].startswith(f"https://{host}/share?text=Plainte+collective")
    assert response["Location"].endswith("%2Fplainte-test%2F%3Fvia%3Dmastodon")


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


def test_the_sites_own_paths_are_never_taken_for_a_campaign(client, campaign):
    """Campaign URLs come first; a reserved first segment never reaches them."""
    from django.urls import resolve

    assert resolve(f"/{campaign.slug}/count.json").view_name == "campaigns:count_json"
    assert resolve(f"/{campaign.slug}/").view_name == "mandates:campaign"
    assert resolve("/observatoire/").view_name == "observatory:index"
    assert resolve("/droits/").namespace == "rights"
    assert resolve("/console/").view_name == "console:home"
    assert resolve("/ap/observatoire").view_name == "federation:actor"
    assert resolve("/images/" + "0" * 64 + "-96.png").view_name == "campaigns:picture"
    assert client.get("/admin/").status_code == 302  # the admin, not a campaign's 404
