"""A lead's contact address is encrypted at rest with DATA_KEY (core/at_rest.py): the
addresses already stored are encrypted on the way, then the plain column is dropped."""

from django.db import migrations, models

from recours.core import at_rest


def seal_contacts(apps, schema_editor):
    Lead = apps.get_model("observatory", "Lead")
    for lead in Lead.objects.exclude(contact="").only("pk", "contact").iterator():
        lead.contact_sealed = at_rest.encrypt_text(lead.contact, purpose="lead-contact")
        lead.save(update_fields=["contact_sealed"])


class Migration(migrations.Migration):
    dependencies = [("observatory", "0008_claim_history_names")]
    operations = [
        migrations.AddField(
            model_name="lead",
            name="contact_sealed",
            field=models.BinaryField(blank=True, default=b""),
        ),
        migrations.RunPython(seal_contacts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="lead", name="contact"),
    ]
