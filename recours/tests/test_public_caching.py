"""Caching rules that span the parts: what shared caches may keep."""

import pytest
from django.urls import reverse

from recours.observatory.models import Place


@pytest.mark.django_db
def test_pages_that_shared_caches_keep_set_no_cookie(client, campaign):
    place = Place.objects.create(kind="commune", code="06088", name="Nice")
    urls = [
        reverse("campaigns:count_json", args=[campaign.slug]),
        reverse("campaigns:badge", args=[campaign.slug]),
        place.get_absolute_url(),
        reverse("observatory:technology", args=["vsa"]),
        reverse("observatory:download", args=["claims", "csv"]),
    ]

    responses = [client.get(url) for url in urls]

    assert [(r.status_code, "public" in r["Cache-Control"]) for r in responses] == [
        (200, True)
    ] * len(urls)
    assert [url for url, r in zip(urls, responses, strict=True) if r.cookies] == []
