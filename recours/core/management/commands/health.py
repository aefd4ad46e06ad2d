"""What /readyz checks, with the reasons, for the host's monitoring: exits 0 when ready,
1 otherwise."""

import sys

from django.core.management.base import BaseCommand

from recours.core.health import readiness


class Command(BaseCommand):
    help = "Checks the database, the cache, the migrations and the mail queue; exit code 1 if not ready."

    def handle(self, *args, **options):
        checks = readiness()
        for check in checks:
            self.stdout.write(f"{'ok ' if check.ok else 'NOT'} {check.name}: {check.detail}")
        if not all(check.ok for check in checks):
            sys.exit(1)
