"""Claims imported from the Technopolice vendor graph: a relation citing several pages
("a|b") had them as one link; each becomes its own source. Their summary, the raw
relation ("VIZZIA a pour client ville de Paris (arnaudmolo/…)"), becomes a sentence."""

from django.db import migrations

ATTRIBUTION = "arnaudmolo/carto_technopolice (AGPL-3.0)"
SUMMARY = (
    "Selon la cartographie Technopolice, {place} figure parmi les clients de {vendor}. "
    "À confirmer : un fournisseur qui se dit retenu ne prouve pas un déploiement."
)


def forwards(apps, schema_editor):
    Claim = apps.get_model("observatory", "Claim")
    Evidence = apps.get_model("observatory", "Evidence")
    for evidence in Evidence.objects.filter(notes=ATTRIBUTION, url__contains="|"):
        urls = [url.strip()[:1000] for url in evidence.url.split("|") if url.strip()]
        for url in urls[1:]:
            Evidence.objects.get_or_create(
                claim_id=evidence.claim_id, url=url, defaults={"kind": evidence.kind, "notes": ATTRIBUTION}
            )
        evidence.url = urls[0] if urls else ""
        evidence.save(update_fields=["url"])
    raw = Claim.objects.filter(summary__endswith=f"({ATTRIBUTION}).").select_related("place", "vendor")
    for claim in raw.exclude(vendor=None):
        # update(), not save(): a rewording is not news ("Dernières mises à jour").
        Claim.objects.filter(pk=claim.pk).update(
            summary=SUMMARY.format(place=claim.place.name, vendor=claim.vendor.name)
        )


class Migration(migrations.Migration):
    dependencies = [("observatory", "0011_import_run_data_date_licence")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
