"""The campaign the public reads and the sign form use: shared cache, and a second's
copy held in each process (campaigns/domain.py)."""

import pytest
from django.core.cache import cache

from recours.campaigns import domain
from recours.campaigns.domain import cached_public_campaign, change_campaign_status
from recours.campaigns.models import Campaign

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_change_in_this_process_shows_at_once(campaign):
    assert cached_public_campaign(campaign.slug).status == "open"

    change_campaign_status(campaign=campaign, to="closed", by="Camille")

    assert cached_public_campaign(campaign.slug).status == "closed"


def test_another_process_change_shows_within_the_held_second(campaign, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(domain.time, "monotonic", lambda: clock[0])
    cached_public_campaign(campaign.slug)
    # Another process closes it: its row and the shared cache change, not this process.
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    cache.delete(domain._public_campaign_key(campaign.slug))

    clock[0] += domain.LOCAL_SECONDS / 2
    assert cached_public_campaign(campaign.slug).status == "open"
    clock[0] += domain.LOCAL_SECONDS
    assert cached_public_campaign(campaign.slug).status == "closed"


def test_each_caller_gets_a_campaign_of_its_own(campaign):
    first = cached_public_campaign(campaign.slug)
    first.confirmed_count = 12345  # as the page sets its live counter

    again = cached_public_campaign(campaign.slug)
    assert again is not first
    assert again.confirmed_count != 12345
    assert again.organisation.name == campaign.organisation.name
