"""Milestones (issue 13): the bar fills toward the next step, not an empty bar toward a
far goal; "N in the last 24 hours" shows only when it is not tiny."""

import pytest
from django.core.exceptions import ValidationError

from recours.campaigns.models import Campaign
from recours.campaigns.presentation import progress
from recours.testing import confirm_a_signer


@pytest.mark.unit
@pytest.mark.parametrize(
    ("count", "milestones", "step"),
    [
        (0, [5000, 10000], 5000),
        (4999, [5000, 10000], 5000),
        (5000, [5000, 10000], 10000),
        (12000, [5000, 10000], 15000),  # then the goal
        (16000, [5000, 10000], 15000),  # past the goal: full
        (10, [], 15000),
        (10, [20000, 5000], 5000),  # a step beyond the goal is ignored, order too
    ],
)
def test_the_next_step(count, milestones, step):
    assert progress(count, 15000, milestones).step == step


@pytest.mark.unit
def test_the_percent_is_of_the_step():
    assert progress(2500, 15000, [5000]).percent == 50
    assert progress(16000, 15000, [5000]).percent == 100


@pytest.mark.parametrize("bad", [[10000, 5000], [0], ["5000"], [5000, 5000], "5000", [True]])
def test_milestones_must_be_increasing_positive_integers(campaign, bad):
    campaign.milestones = bad

    with pytest.raises(ValidationError) as error:
        campaign.clean()
    assert "milestones" in error.value.message_dict


@pytest.mark.django_db
def test_the_page_shows_the_next_step_and_a_busy_day(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(goal=100, milestones=[20, 50])
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'max="20"' in page and "Prochaine étape : 20 (objectif : 100)" in page
    assert "ces dernières 24 heures" not in page

    for number in range(12):
        confirm_a_signer(campaign, number)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "12 mandats ces dernières 24 heures" in page
