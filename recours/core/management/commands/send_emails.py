import logging
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from recours.core.mail import mark_stale_claims
from recours.core.worker import one_turn

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 60


class Command(BaseCommand):
    help = (
        "The worker: records the signatures received, then sends the queued mails of the "
        "outbox; runs until stopped unless --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due, then exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")
        parser.add_argument("--batch", type=int, default=100)

    def handle(self, *args, once, interval, batch, **options):
        failures = 0
        while True:
            try:
                mark_stale_claims()
                handled, counts = one_turn(batch)
            except DatabaseError as exc:
                # A full disk, a database restarting: wait, then go on; an outside restart
                # must not be needed. Nothing is lost: rows are claimed in the database.
                failures += 1
                pause = min(MAX_BACKOFF_SECONDS, interval * 2**failures)
                log.error("mail worker: database error (%s); trying again in %.0f s", exc, pause)
                close_old_connections()
                if once:
                    raise
                time.sleep(pause)
                continue
            failures = 0
            if handled or any(counts.values()):
                self.stdout.write(
                    "recorded {handled}, sent {sent}, deferred {retry}, failed {failed}, "
                    "unreadable {unreadable}".format(handled=handled, **counts)
                )
            if once:
                return
            if handled < batch and counts["sent"] < batch:
                time.sleep(interval)
