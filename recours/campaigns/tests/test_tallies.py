from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recours.campaigns import tallies
from recours.campaigns.models import Tally

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

AT = datetime(2026, 9, 22, 10, 30, tzinfo=UTC)


def counts(campaign):
    return dict(Tally.objects.filter(campaign=campaign).values_list("metric", "count"))


def test_one_statement_adds_to_every_metric_of_the_hour(campaign):
    with CaptureQueriesContext(connection) as queries:
        tallies.add(campaign.pk, "signup", "confirmed", "confirmed", at=AT)
    tallies.add(campaign.pk, "confirmed", "withdrawn", amount=3, at=AT)

    assert len(queries) == 1
    assert counts(campaign) == {"signup": 1, "confirmed": 5, "withdrawn": 3}
    assert set(Tally.objects.values_list("hour", flat=True)) == {tallies.hour_of(AT)}


def test_another_hour_has_rows_of_its_own(campaign):
    tallies.add(campaign.pk, "signup", at=AT)
    tallies.add(campaign.pk, "signup", at=AT.replace(hour=11))

    assert list(Tally.objects.order_by("hour").values_list("count", flat=True)) == [1, 1]


def test_no_metric_changes_nothing(campaign):
    tallies.add(campaign.pk, at=AT)

    assert not Tally.objects.exists()


def test_the_growth_of_a_day_counts_the_last_24_hours_net_of_removals(campaign):
    now = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    hour = tallies.hour_of(now)
    for at, metric, count in [
        (hour, tallies.Metric.CONFIRMED, 5),
        (hour - 23, tallies.Metric.CONFIRMED, 7),  # the oldest hour of the day
        (hour - 24, tallies.Metric.CONFIRMED, 100),  # yesterday
        (hour - 2, tallies.Metric.REMOVED, 2),
        (hour - 1, tallies.Metric.SIGNUP, 50),  # not a confirmation
    ]:
        Tally.objects.create(campaign=campaign, hour=at, metric=metric, count=count)

    with CaptureQueriesContext(connection) as queries:
        assert tallies.growth(campaign.pk, hours=24, now=now) == 5 + 7 - 2
    assert len(queries) == 1
