"""The mails as a signer's mail app shows them, in Chromium: a clear button whose link is
the plain-text part's, readable on a phone and in dark mode, nothing fetched from anywhere."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from recours.campaigns.card import card_png
from recours.testing import link_from, queued_mails, sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def luminance(rgb: str) -> float:
    channels = [int(value) / 255 for value in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted([luminance(one), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_confirmation_mail_has_a_clear_button_on_a_phone_in_both_schemes(
    browser, client, campaign, sign_data, scheme
):
    from django.urls import reverse

    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    mail = queued_mails("confirm")[0]
    context = browser.new_context(viewport={"width": 375, "height": 700}, color_scheme=scheme)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    page.set_content(mail.body_html)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"mail-confirm-{scheme}-375.png", full_page=True)
    button = page.locator("a.mail-button")
    colour = button.evaluate("e => getComputedStyle(e).color")
    background = button.evaluate("e => getComputedStyle(e).backgroundColor")
    card = page.locator(".mail-card")
    text, paper = (
        card.evaluate(f"e => getComputedStyle(e).{p}") for p in ("color", "backgroundColor")
    )

    assert button.inner_text() == "Confirmer mon mandat"
    assert button.get_attribute("href").endswith(link_from(mail.body_text, "/confirmer/"))
    assert button.bounding_box()["height"] >= 44  # a thumb's target
    assert contrast(colour, background) >= 4.5
    assert contrast(text, paper) >= 4.5
    assert (luminance(paper) < 0.1) is (scheme == "dark")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert requests == []  # no image, font or pixel fetched from anywhere
    assert not re.search(r"\bsrc=|url\(", mail.body_html)
    context.close()


def test_the_mail_and_the_card_take_the_organisations_colour(client, campaign, sign_data):
    from django.urls import reverse

    campaign.organisation.colour = "#1d4e89"
    campaign.organisation.save()
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    html = queued_mails("confirm")[0].body_html

    assert "background:#1d4e89" in html
    assert "color:#1d4e89" in html  # the links, and the organisation's name on top
    assert "#8c1c13" not in html
    card = Image.open(io.BytesIO(card_png(campaign)))
    assert card.getpixel((600, 8)) == (0x1D, 0x4E, 0x89)  # the band along its top


def test_an_unreadable_colour_set_elsewhere_is_not_used(campaign):
    campaign.organisation.colour = "#ffff00"  # the admin checks no contrast

    assert campaign.accent == ""


def test_confirmation_mails_rendered_once_read_as_if_rendered_each(campaign):
    """The sign path renders its mail once per campaign state with markers for the links
    (core/mail.py, `slots`): each mail must read exactly as a full rendering would."""
    from datetime import timedelta

    from django.conf import settings
    from django.test.signals import template_rendered
    from django.utils import timezone

    from recours.core import mail
    from recours.mandates.models import Mandate

    mail._rendered.clear()
    rendered = []
    # Closing in two days, every link expires at the close: one minute of expiry for all,
    # however long the test takes.
    campaign.closes_at = timezone.now() + timedelta(days=2)
    campaign.save()

    def on_render(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(on_render)
    try:
        sign_up(campaign, "once", 3)
    finally:
        template_rendered.disconnect(on_render)

    mails = queued_mails("confirm")
    assert rendered.count("emails/confirm-body.html") == 1
    for queued in mails:
        mandate = Mandate.objects.get(pk=int(queued.row.about.split(":")[1]))
        confirm = link_from(queued.body_text, "/confirmer/")
        manage = link_from(queued.body_text, "/mandat/")
        expires_at = mandate.tokens.get(purpose="confirm").expires_at
        context = {"campaign": campaign, "expires_at": expires_at,
                   "confirm_url": settings.SITE_URL + confirm,
                   "manage_url": settings.SITE_URL + manage}  # fmt: skip
        assert (queued.subject, queued.body_text, queued.body_html) == mail._render(
            "confirm", context, "fr"
        )
    assert len({link_from(m.body_text, "/confirmer/") for m in mails}) == 3
