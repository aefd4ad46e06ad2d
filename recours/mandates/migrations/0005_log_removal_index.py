"""The index that finds the removal of a log position, built without blocking the log's
writes on PostgreSQL (a big log takes a while to index; confirmations go on meanwhile)."""

from django.db import migrations, models

from recours.core.migration_operations import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("mandates", "0004_log_nodes")]
    operations = [
        AddIndexWithoutBlocking(
            model_name="logentry",
            index=models.Index(fields=["campaign", "ref_position"], name="log_removal_of_position"),
        ),
    ]
