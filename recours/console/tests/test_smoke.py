import pytest
from django.urls import reverse

from recours.console.tests.conftest import member_client

pytestmark = pytest.mark.integration


def test_pages_render_for_organiser(people, campaign):
    client = member_client(people["organiser"])
    for name, args in [
        ("console:home", []),
        ("console:organisation", [campaign.organisation_id]),
        ("console:activity", [campaign.organisation_id]),
        ("console:campaign", [campaign.slug]),
        ("console:texts", [campaign.slug]),
        ("console:grounds", [campaign.slug]),
        ("console:ground_new", [campaign.slug]),
        ("console:mandate", [campaign.slug]),
        ("console:calendar", [campaign.slug]),
        ("console:key", [campaign.slug]),
        ("console:preview", [campaign.slug]),
        ("console:publish", [campaign.slug]),
        ("console:status", [campaign.slug]),
        ("console:dashboard", [campaign.slug]),
        ("console:news_list", [campaign.slug]),
        ("console:security", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
