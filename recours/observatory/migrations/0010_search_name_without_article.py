"""Place search ignores a name's leading article ("Le Mans", "le mans", "Mans"): every
stored search name is written again by names.normalised. Names themselves gain their
article at the next import_places (INSEE's commune_article)."""

from django.db import migrations

from recours.observatory.names import normalised


def rewrite(apps, schema_editor):
    Place = apps.get_model("observatory", "Place")
    changed = []
    for place in Place.objects.only("id", "name", "search_name").iterator(chunk_size=2000):
        search_name = normalised(place.name)
        if search_name != place.search_name:
            place.search_name = search_name
            changed.append(place)
    Place.objects.bulk_update(changed, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("observatory", "0009_lead_contact_sealed")]
    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
