"""An index for the campaign page's "N mandates in the last 24 hours", built without
locking the table on PostgreSQL (a live campaign keeps signing meanwhile)."""

from django.db import migrations, models

from recours.core.migration_operations import AddIndexWithoutBlocking


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("mandates", "0006_verbose_names")]
    operations = [
        AddIndexWithoutBlocking(
            model_name="mandate",
            index=models.Index(fields=["campaign", "confirmed_at"], name="mandate_confirmed_at"),
        ),
    ]
