"""The share card (issue 13): a 1200×630 PNG per campaign and language, drawn without a
browser, cached, redrawn when the count crosses a step; og:image points to it."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from recours.campaigns.card import card_text
from recours.campaigns.models import Campaign
from recours.campaigns.presentation import progress
from recours.testing import confirm_a_signer

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_card_is_a_1200_by_630_png_of_the_count(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(goal=100, milestones=[2])
    campaign.refresh_from_db()
    confirm_a_signer(campaign, 1)

    response = client.get(reverse("campaigns:card", args=[campaign.slug]))
    text = card_text(campaign, progress(1, 100, [2]))

    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    assert text.count == "1 mandat confirmé"
    assert text.step == "Prochaine étape : 2 (objectif : 100)"
    assert text.title == campaign.title and text.organisation == campaign.organisation.name


def test_the_card_is_redrawn_when_the_count_crosses_a_step_not_before(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(goal=100, milestones=[3])
    url = reverse("campaigns:card", args=[campaign.slug])
    confirm_a_signer(campaign, 1)
    first = client.get(url).content
    confirm_a_signer(campaign, 2)
    same_step = client.get(url).content
    confirm_a_signer(campaign, 3)
    next_step = client.get(url).content

    assert same_step == first  # from the cache: the burst of link previews draws once
    assert next_step != first


def test_each_language_has_its_card_and_the_page_points_to_it(client, campaign):
    french = client.get(reverse("campaigns:card", args=[campaign.slug]), {"lang": "fr"}).content
    english = client.get(reverse("campaigns:card", args=[campaign.slug]), {"lang": "en"}).content
    page = client.get(campaign.get_absolute_url()).content.decode()

    assert french != english
    assert (
        f'<meta property="og:image" content="http://127.0.0.1:8000/{campaign.slug}/carte.png?lang=fr">'
        in page
    )
    assert '<meta property="og:image:alt" content="' in page
    assert "0 mandat confirmé" in page.split('og:image:alt" content="')[1].split('"')[0]


def test_the_organisations_logo_is_drawn_on_the_card(client, campaign):
    from recours.campaigns.pictures import prepare, store_picture

    url = reverse("campaigns:card", args=[campaign.slug])
    plain = Image.open(io.BytesIO(client.get(url).content)).convert("RGB")
    square = io.BytesIO()
    Image.new("RGB", (300, 300), (20, 90, 200)).save(square, format="PNG")
    organisation = campaign.organisation
    organisation.logo = store_picture(prepare(square.getvalue(), "logo"), "logo")
    organisation.save()

    with_logo = Image.open(io.BytesIO(client.get(url).content)).convert("RGB")
    # Top right, where the title never reaches: white without a logo, the logo's blue with.
    assert plain.getpixel((1035, 140)) == (255, 255, 255)
    red, green, blue = with_logo.getpixel((1035, 140))
    assert abs(red - 20) < 8 and abs(green - 90) < 8 and abs(blue - 200) < 8
