"""The cache names no one: Redis may write its keyspace to disk."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from recours.testing import solved_pow

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def every_key() -> list[str]:
    """The keys of this test's cache namespace, from Redis or from local memory."""
    prefix = cache.key_prefix
    if hasattr(cache._cache, "get_client"):  # Django's Redis backend
        client = cache._cache.get_client()
        return [key.decode() for key in client.scan_iter(match=f"{prefix}*", count=1000)]
    return [key for key in cache._cache if key.startswith(prefix)]


def test_no_address_network_or_mail_domain_is_in_a_cache_key(client, campaign, sign_data):
    for attempt, proof in enumerate([solved_pow(), ""]):  # with and without proof of work
        client.post(
            reverse("mandates:sign", args=[campaign.slug]),
            sign_data(email=f"signataire{attempt}@domaine-singulier.example", altcha=proof),
            REMOTE_ADDR="198.51.100.77",
        )
    client.post(
        reverse("observatory:report_lead"), {"place_text": "x"}, REMOTE_ADDR="198.51.100.77"
    )

    keys = every_key()
    assert any(":rl:sign-ip-burst:" in key for key in keys)  # the limits were counted
    assert [key for key in keys if "198.51.100" in key or "domaine-singulier" in key] == []


def test_a_flood_of_distinct_keys_does_not_make_the_limits_forget():
    """Django's local-memory cache keeps 300 entries by default, then evicts a third at
    each new key: a flood of distinct addresses erased the counters of the others."""
    from recours.core.ratelimit import Rule, hit

    watched = Rule("watched", 3, 600)
    for _ in range(3):
        assert hit(watched, "203.0.113.5") is None
    for n in range(2_000):
        hit(Rule("other", 1, 600), f"198.51.{n // 256}.{n % 256}")

    assert hit(watched, "203.0.113.5") is not None  # the fourth is still refused
