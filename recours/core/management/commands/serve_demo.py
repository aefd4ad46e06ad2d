import logging
import threading
import time

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from recours.core.mail import mark_stale_claims
from recours.core.worker import one_turn

log = logging.getLogger(__name__)


def mail_destination() -> str:
    if getattr(settings, "EMAIL_FILE_PATH", None):
        return f"as files into {settings.EMAIL_FILE_PATH}/"
    if getattr(settings, "EMAIL_HOST", None):
        return f"to SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return f"through {settings.EMAIL_BACKEND}"


def follow_served_address(addrport: str) -> None:
    """Unless SITE_URL says where the site is published, mailed links and the embed
    snippet point to the address served here (a demo on another port works)."""
    if settings.SITE_URL_FROM_ENV:
        return
    host, _, port = addrport.rpartition(":")
    host = host or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 (not a bind: a wildcard gets a link to loopback)
        host = "127.0.0.1"
    settings.SITE_URL = f"http://{host}:{port}" if port else f"http://{addrport}"


class Command(BaseCommand):
    help = (
        "The embedded setup in one process: the development server, the mail worker and "
        "the fediverse worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", help="address:port, 127.0.0.1:$PORT by default")

    def handle(self, *args, addrport, **options):
        addrport = addrport or f"127.0.0.1:{settings.PORT}"
        follow_served_address(addrport)
        threading.Thread(target=self.mail_worker, name="mail-worker", daemon=True).start()
        self.stdout.write(f"mail worker running: mails go {mail_destination()}")
        if settings.FEDERATION and apps.is_installed("recours.federation"):
            threading.Thread(target=self.fediverse_worker, name="fediverse", daemon=True).start()
            self.stdout.write("fediverse worker running: follow @technopolice@ this host")
        self.stdout.write(f"links in mails and the embed snippet point to {settings.SITE_URL}")
        call_command("runserver", addrport, use_reloader=False)

    def mail_worker(self):
        while True:
            try:
                mark_stale_claims()
                handled, counts = one_turn(100)
                if handled:
                    log.info("worker: %d signature(s) recorded", handled)
                if counts["sent"]:
                    log.info("mail worker: %d mail(s) sent %s", counts["sent"], mail_destination())
            except Exception:
                log.exception("mail worker: batch failed, trying again")
            finally:
                close_old_connections()
            time.sleep(1)

    def fediverse_worker(self):
        # By name: core imports no part; `federate` belongs to the federation part.
        while True:
            try:
                call_command("federate", once=True, stdout=_Quiet())
            except Exception:
                log.exception("fediverse worker: turn failed, trying again")
            finally:
                close_old_connections()
            time.sleep(5)


class _Quiet:
    def write(self, text):
        if "0 posted; deliveries: none due" not in text:
            log.info("fediverse worker: %s", text.strip())

    def flush(self):
        pass
