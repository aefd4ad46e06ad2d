"""The outbox's recipients, subjects and bodies become one value encrypted at rest with
DATA_KEY (core/at_rest.py). Rows still waiting are encrypted on the way; the plain
columns are then dropped."""

import json

from django.db import migrations, models

from recours.core import at_rest


def seal_pending(apps, schema_editor):
    OutboxEmail = apps.get_model("core", "OutboxEmail")
    for row in OutboxEmail.objects.exclude(to="", body_text="", body_html="").iterator():
        content = {
            "to": row.to, "subject": row.subject, "body_text": row.body_text,
            "body_html": row.body_html, "reply_to": row.reply_to,
        }  # fmt: skip
        plain = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
        row.sealed = at_rest.encrypt(plain, purpose="outbox")
        row.save(update_fields=["sealed"])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_bounces")]
    operations = [
        migrations.AddField(
            model_name="outboxemail",
            name="sealed",
            field=models.BinaryField(blank=True, default=b""),
        ),
        migrations.RunPython(seal_pending, migrations.RunPython.noop),
        migrations.RemoveField(model_name="outboxemail", name="to"),
        migrations.RemoveField(model_name="outboxemail", name="reply_to"),
        migrations.RemoveField(model_name="outboxemail", name="subject"),
        migrations.RemoveField(model_name="outboxemail", name="body_text"),
        migrations.RemoveField(model_name="outboxemail", name="body_html"),
    ]
