"""Counts the mandates already stored into the hourly tallies that the organisers'
dashboard reads, so that a campaign opened before them shows its whole history."""

from collections import Counter

from django.db import migrations

from recours.campaigns.tallies import Metric, delay_metric, hour_of


def backfill(apps, schema_editor):
    Mandate = apps.get_model("mandates", "Mandate")
    Tally = apps.get_model("campaigns", "Tally")
    counts = Counter()
    rows = Mandate.objects.values_list(
        "campaign_id", "status", "signed_at", "confirmed_at", "withdrawn_at",
        "invalidation__created_at",
    )  # fmt: skip
    for campaign, status, signed, confirmed, withdrawn, invalidated in rows.iterator(5000):
        counts[campaign, hour_of(signed), Metric.SIGNUP] += 1
        if confirmed:
            counts[campaign, hour_of(confirmed), Metric.CONFIRMED] += 1
            counts[campaign, hour_of(confirmed), delay_metric(confirmed - signed)] += 1
        if withdrawn:
            counts[campaign, hour_of(withdrawn), Metric.WITHDRAWN] += 1
        if status == "invalidated" and invalidated:
            counts[campaign, hour_of(invalidated), Metric.INVALIDATED] += 1
        left = withdrawn if status == "withdrawn" else invalidated
        if confirmed and left and status in ("withdrawn", "invalidated"):
            counts[campaign, hour_of(left), Metric.REMOVED] += 1
    Tally.objects.bulk_create(
        [
            Tally(campaign_id=campaign, hour=hour, metric=metric, count=count)
            for (campaign, hour, metric), count in counts.items()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0007_mandate_confirmed_at_index"),
        ("campaigns", "0005_tallies"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
