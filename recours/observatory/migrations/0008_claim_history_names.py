"""Claim histories written by the admin before observatory/domain.py recorded a vendor or
a place by its database id ("1" → "2"), and that history is public: give them names."""

from django.db import migrations

RELATED = {"vendor": "Vendor", "place": "Place"}


def ids_to_names(apps, schema_editor):
    ClaimChange = apps.get_model("observatory", "ClaimChange")
    for change in ClaimChange.objects.all().iterator():
        edited = False
        for field, model_name in RELATED.items():
            values = change.changes.get(field)
            if not values or not any(str(value).isdigit() for value in values):
                continue
            model = apps.get_model("observatory", model_name)
            names = []
            for value in values:
                if str(value).isdigit():
                    row = model.objects.filter(pk=int(value)).only("name").first()
                    value = row.name if row else ""
                names.append(value)
            change.changes[field] = names
            edited = True
        if edited:
            change.save(update_fields=["changes"])


class Migration(migrations.Migration):
    dependencies = [("observatory", "0007_claim_history_order")]
    operations = [migrations.RunPython(ids_to_names, migrations.RunPython.noop)]
