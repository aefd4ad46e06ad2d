"""The page after a confirmation (mandates/confirmed_page.py): rendered once per campaign
state and language, filled in with each signer's own receipt."""

import re

import pytest
from django.test.signals import template_rendered

from recours.mandates.models import Mandate
from recours.testing import link_from, queued_mails, sign_up

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def confirm_links(campaign, count: int) -> list[str]:
    sign_up(campaign, "receipt", count)
    return [link_from(mail.body_text, "/confirmer/") for mail in queued_mails("confirm")]


def receipt_of(html: str) -> tuple[str, str]:
    position = re.search(r"<dt>Position</dt><dd>(\d+)</dd>", html).group(1)
    commitment = re.search(r"<dd><code>([0-9a-f]+)</code></dd>", html).group(1)
    return position, commitment


def test_each_signer_gets_their_own_receipt_from_the_page_kept_once(client, campaign):
    links = confirm_links(campaign, 3)
    rendered = []

    def on_render(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(on_render)
    try:
        pages = [client.post(link).content.decode() for link in links]
    finally:
        template_rendered.disconnect(on_render)

    mandates = Mandate.objects.order_by("log_position")
    assert [receipt_of(page) for page in pages] == [
        (str(m.log_position), m.commitment) for m in mandates
    ]
    assert rendered.count("mandates/confirmed.html") == 1
    for page in pages:
        assert "@@" not in page
        # The language switch leads back to the campaign, never to a signer's link.
        assert f'name="next" type="hidden" value="/{campaign.slug}/"' in page
        assert "/confirmer/" not in page


def test_a_change_to_the_campaign_shows_on_the_next_confirmed_page(client, campaign):
    first, second = confirm_links(campaign, 2)
    client.post(first)

    campaign.share_messages = {"fr": "Message neuf pour partager"}
    campaign.save()

    assert "Message neuf pour partager" in client.post(second).content.decode()
