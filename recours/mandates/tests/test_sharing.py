"""The share moment (issue 13's share panel): after signing and after confirming, plain
links to each service with a ?via= tag, and aggregate counts per channel, never per
person."""

import re

import pytest
from django.urls import reverse

from recours.campaigns.models import Campaign, ShareCount
from recours.campaigns.share_counters import flush
from recours.campaigns.sharing import CHANNELS
from recours.mandates.models import Mandate
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def hidden_via(page: str) -> str:
    match = re.search(r'name="via"(?: value="([^"]*)")?', page)
    return match.group(1) or ""


def test_a_sign_up_through_a_shared_link_is_counted_for_its_channel_only(
    client, campaign, sign_data
):
    page = client.get(campaign.get_absolute_url() + "?via=whatsapp").content.decode()
    plain = client.get(campaign.get_absolute_url()).content.decode()  # the cached page
    odd = client.get(campaign.get_absolute_url() + '?via="><script>x</script>').content.decode()

    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data(via=hidden_via(page)))
    client.post(
        reverse("mandates:sign", args=[campaign.slug]),
        sign_data(via="evil", email="autre@example.org"),
    )

    assert (hidden_via(page), hidden_via(plain), hidden_via(odd)) == ("whatsapp", "", "")
    assert "<script>x" not in odd
    assert flush([campaign.pk])["signatures"] == 1  # counted in the cache, then moved
    assert list(ShareCount.objects.values_list("channel", "signatures")) == [("whatsapp", 1)]
    assert Mandate.objects.count() == 2
    assert "via" not in {field.name for field in Mandate._meta.get_fields()}  # never per person


def test_the_check_mail_and_confirmed_pages_offer_every_channel(client, campaign, sign_data):
    client.post(reverse("mandates:sign", args=[campaign.slug]), sign_data())
    check_mail = client.get(reverse("mandates:check_mail", args=[campaign.slug]))
    confirm = link_from(queued_mails()[0].body_text, "/confirmer/")
    confirmed = client.post(confirm).content.decode()

    page = check_mail.content.decode()
    for channel, host in [("bluesky", "https://bsky.app/intent/compose"), ("whatsapp", "https://wa.me/"),
                          ("telegram", "https://t.me/share/url"), ("facebook", "https://www.facebook.com/sharer"),
                          ("linkedin", "https://www.linkedin.com/sharing"), ("x", "https://x.com/intent/post"),
                          ("email", "mailto:"), ("sms", "sms:")]:  # fmt: skip
        assert f'href="{host}' in page, channel
        assert f"via%3D{channel}" in page or f"via={channel}" in page, channel
    assert "via=signal" in page  # Signal: a message to copy
    assert 'action="/plainte-test/partager/mastodon/"' in page
    assert "https:" in check_mail["Content-Security-Policy"].split("form-action")[1].split(";")[0]
    assert not re.search(
        r'<(?:img|script|link)[^>]+(?:src|href)="https?://', page
    )  # nothing loaded
    assert 'id="share-title"' in confirmed and "via=signal" in confirmed
    assert set(CHANNELS) >= {"bluesky", "whatsapp", "signal", "widget", "fediverse"}


def test_the_organisers_message_in_the_visitors_language(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        share_messages={"fr": "Signez avec nous !", "en": "Sign with us!"}
    )

    french = client.get(reverse("mandates:check_mail", args=[campaign.slug])).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("mandates:check_mail", args=[campaign.slug])).content.decode()

    assert "Signez avec nous !" in french and "Sign with us!" in english
