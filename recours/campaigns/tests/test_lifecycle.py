import pytest
from django.core.management import CommandError, call_command

from recours.campaigns.domain import StatusError, change_campaign_status
from recours.campaigns.models import Campaign, StatusChange

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_status_moves_forward_one_step_at_a_time_and_is_recorded(campaign):
    for status in ("closed", "filed", "case_closed"):
        change_campaign_status(campaign=campaign, to=status, by="Camille (CA)")

    changes = list(StatusChange.objects.values_list("from_status", "to_status", "changed_by"))
    assert changes == [
        ("open", "closed", "Camille (CA)"),
        ("closed", "filed", "Camille (CA)"),
        ("filed", "case_closed", "Camille (CA)"),
    ]
    assert campaign.filed_at is not None
    assert campaign.case_closed_at is not None


@pytest.mark.parametrize("target", ["draft", "open", "filed", "case_closed"])
def test_status_cannot_skip_or_go_back(campaign, target):
    with pytest.raises(StatusError, match="one step at a time"):
        change_campaign_status(campaign=campaign, to=target, by="x")

    assert Campaign.objects.get().status == "open"


def test_opening_needs_a_key(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="draft", public_key="")

    with pytest.raises(StatusError, match="create the campaign key"):
        change_campaign_status(campaign=campaign, to="open", by="x")


def test_set_campaign_status_command(campaign):
    call_command("set_campaign_status", campaign.slug, "closed", "--by", "Camille")

    with pytest.raises(CommandError, match="one step at a time"):
        call_command("set_campaign_status", campaign.slug, "case_closed", "--by", "Camille")
    assert Campaign.objects.get().status == "closed"


def test_filed_campaign_page_shows_final_count(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="filed", confirmed_count=3)

    page = client.get(campaign.get_absolute_url()).content.decode()

    assert "La signature est close : 3 personnes ont donné mandat." in page
