import time

from django.core.management.base import BaseCommand

from recours.federation.delivery import deliver_due
from recours.federation.publish import publish_all


class Command(BaseCommand):
    help = (
        "The fediverse worker: posts what happened (campaign steps, news, timeline, "
        "milestones, observatory claims and document-request outcomes) and delivers it, "
        "signed, to the followers' servers. Runs until stopped; --once for one turn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between turns")

    def handle(self, *args, once, interval, **options):
        while True:
            posted = publish_all()
            counts = deliver_due()
            if once:
                sent = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
                self.stdout.write(f"{posted} posted; deliveries: {sent or 'none due'}")
                return
            if not counts:
                time.sleep(interval)
