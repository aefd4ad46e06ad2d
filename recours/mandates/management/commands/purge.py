from django.core.management.base import BaseCommand

from recours.campaigns import share_counters
from recours.mandates.retention import purge


class Command(BaseCommand):
    help = "Applies the retention policy (see recours/mandates/retention.py). Run it daily."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument(
            "--pause",
            type=float,
            default=0,
            help="seconds between batches, to spare a busy database",
        )

    def handle(self, *args, dry_run, batch, pause, **options):
        report = purge(dry_run=dry_run, batch=batch, pause=pause)
        prefix = "would be " if dry_run else ""
        for name, count in report.counts.items():
            self.stdout.write(f"{count} {prefix}{name}")
        if not dry_run:
            # Daily, so that what is counted in the cache reaches the figures even when
            # no one opens them for a week.
            moved = share_counters.flush()
            self.stdout.write(
                f"{moved['visits']} tagged visits and {moved['signatures']} tagged sign-ups"
                " moved from the cache"
            )
