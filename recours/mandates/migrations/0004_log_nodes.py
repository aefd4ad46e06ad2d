"""The log's stored Merkle nodes (log_tree.py), and those of every log written before."""

import django.db.models.deletion
from django.db import migrations, models

from recours.core.merkle import leaf_hash, node_hash

SLOT_SHIFT = 40


def store_nodes(apps, schema_editor):
    LogEntry = apps.get_model("mandates", "LogEntry")
    LogNode = apps.get_model("mandates", "LogNode")
    campaigns = LogEntry.objects.order_by().values_list("campaign_id", flat=True).distinct()
    for campaign_id in list(campaigns):
        entries = LogEntry.objects.filter(campaign_id=campaign_id).order_by("position")
        hashes = [leaf_hash(bytes.fromhex(h)) for h in entries.values_list("entry_hash", flat=True)]
        level, nodes = 0, []
        while len(hashes) > 1:
            level += 1
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes) - 1, 2)]
            nodes += [
                LogNode(campaign_id=campaign_id, slot=(level << SLOT_SHIFT) | i, hash=h.hex())
                for i, h in enumerate(hashes)
            ]
        LogNode.objects.bulk_create(nodes, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("mandates", "0003_mandate_bounced_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="LogNode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slot", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("campaign", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="campaigns.campaign")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("campaign", "slot"), name="one_node_per_slot")],
            },
        ),
        migrations.RunPython(store_nodes, migrations.RunPython.noop),
    ]
