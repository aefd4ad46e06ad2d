"""Counts the mandates already stored into the hourly tallies that the organisers'
dashboard reads, so that a campaign opened before them shows its whole history."""

from django.db import migrations

from recours.campaigns.tallies import counts_of_stored


def backfill(apps, schema_editor):
    Mandate = apps.get_model("mandates", "Mandate")
    Tally = apps.get_model("campaigns", "Tally")
    rows = Mandate.objects.values_list(
        "campaign_id", "status", "signed_at", "confirmed_at", "withdrawn_at",
        "invalidation__created_at",
    )  # fmt: skip
    Tally.objects.bulk_create(
        [
            Tally(campaign_id=campaign, hour=hour, metric=metric, count=count)
            for (campaign, hour, metric), count in counts_of_stored(rows.iterator(5000)).items()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0007_mandate_confirmed_at_index"),
        ("campaigns", "0005_tallies"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
