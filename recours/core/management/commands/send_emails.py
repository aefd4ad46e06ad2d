import time

from django.core.management.base import BaseCommand

from recours.core.mail import mark_stale_claims, send_due_emails


class Command(BaseCommand):
    help = "Sends the queued mails of the outbox; runs until stopped unless --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")
        parser.add_argument("--batch", type=int, default=100)

    def handle(self, *args, once, interval, batch, **options):
        while True:
            mark_stale_claims()
            counts = send_due_emails(limit=batch)
            if any(counts.values()):
                self.stdout.write(
                    "sent {sent}, deferred {retry}, failed {failed}, "
                    "unreadable {unreadable}".format(**counts)
                )
            if once:
                return
            if counts["sent"] < batch:
                time.sleep(interval)
