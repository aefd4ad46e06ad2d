import pytest
from django.core.management import call_command

from recours.campaigns.models import Campaign
from recours.core.crypto import unseal
from recours.mandates.domain import recount_confirmed
from recours.mandates.models import Mandate

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_seed_demo_loads_an_open_campaign_whose_key_opens_its_mandates(settings, tmp_path):
    settings.VAR_DIR = tmp_path

    call_command("seed_demo")
    call_command("seed_demo")

    campaign = Campaign.objects.get(slug="technopolice")
    private = (tmp_path / "demo-keys" / "technopolice.key").read_text().strip()
    mandate = Mandate.objects.filter(campaign=campaign).first()
    assert campaign.is_accepting_signatures()
    assert campaign.grounds.count() == 4
    assert campaign.confirmed_count == recount_confirmed(campaign) == 32
    assert unseal(private, mandate.sealed_identity)["surname"] == "Martin"
