"""Re-encrypts with DATA_KEY what is still stored under an older key (DATA_KEY_OLD).

Rotation, on every web and worker process: set DATA_KEY to the new key and DATA_KEY_OLD
to the old one, restart, run this command, then remove DATA_KEY_OLD and restart again.
A value no key opens is reported and left as it is (the mail worker sets such mail aside
without sending it)."""

from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from recours.core import at_rest

# (app label, model, field, purpose) of every value encrypted at rest.
ENCRYPTED = [
    ("core", "OutboxEmail", "sealed", "outbox"),
    # The address of a signature waiting for the worker (mandates/intake.py).
    ("mandates", "SignIntake", "address_sealed", "sign-intake"),
    ("observatory", "Lead", "contact_sealed", "lead-contact"),
    # The fediverse actors' private keys (federation/keys.py).
    ("federation", "Actor", "private_key_sealed", "federation-key"),
]


def rotate(model, field: str, purpose: str) -> Counter:
    counts = Counter()
    rows = model.objects.exclude(**{field: b""}).values_list("pk", field)
    for pk, blob in rows.iterator(chunk_size=500):
        if at_rest.is_current(blob):
            counts["current"] += 1
            continue
        try:
            plain = at_rest.decrypt(blob, purpose=purpose)
        except at_rest.Unreadable:
            counts["unreadable"] += 1
            continue
        with transaction.atomic():
            # Only if unchanged meanwhile (the worker may have sent and wiped it).
            changed = model.objects.filter(pk=pk, **{field: blob}).update(
                **{field: at_rest.encrypt(plain, purpose=purpose)}
            )
        counts["re-encrypted" if changed else "gone"] += 1
    return counts


class Command(BaseCommand):
    help = "Re-encrypts values stored under DATA_KEY_OLD with DATA_KEY."

    def handle(self, *args, **options):
        unreadable = 0
        for app_label, model_name, field, purpose in ENCRYPTED:
            counts = rotate(apps.get_model(app_label, model_name), field, purpose)
            unreadable += counts["unreadable"]
            self.stdout.write(
                f"{model_name}.{field}: {counts['re-encrypted']} re-encrypted, "
                f"{counts['current']} already current, {counts['unreadable']} unreadable"
            )
        if unreadable:
            self.stderr.write(f"{unreadable} value(s) no key opens: see the mail worker's log")
