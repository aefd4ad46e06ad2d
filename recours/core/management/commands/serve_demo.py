import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from recours.core.mail import mark_stale_claims, send_due_emails

log = logging.getLogger(__name__)


def mail_destination() -> str:
    if getattr(settings, "EMAIL_FILE_PATH", None):
        return f"as files into {settings.EMAIL_FILE_PATH}/"
    if getattr(settings, "EMAIL_HOST", None):
        return f"to SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"through {settings.EMAIL_BACKEND}"


class Command(BaseCommand):
    help = "The embedded setup in one process: the development server and the mail worker."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        threading.Thread(target=self.mail_worker, name="mail-worker", daemon=True).start()
        self.stdout.write(f"mail worker running: mails go {mail_destination()}")
        call_command("runserver", addrport, use_reloader=False)

    def mail_worker(self):
        while True:
            try:
                mark_stale_claims()
                counts = send_due_emails()
                if counts["sent"]:
                    log.info("mail worker: %d mail(s) sent %s", counts["sent"], mail_destination())
            except Exception:
                log.exception("mail worker: batch failed, trying again")
            finally:
                close_old_connections()
            time.sleep(1)
