"""Reads returned mail and records the hard bounces among it.

    # Postfix, in aliases: bounces: "|/srv/recours/.venv/bin/python /srv/recours/manage.py process_bounces"
    manage.py process_bounces                 # one message on standard input
    manage.py process_bounces FILE...         # message files, e.g. a Maildir's new/*

Prints how many messages were read, how many hard bounces were recorded, and how many
messages were not bounces of ours. Exits 0 even then, so that the mail server does not
bounce the bounce.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from recours.core.bounces import hard_bounces, record_bounce

MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class Command(BaseCommand):
    help = "Records hard bounces from returned mail (standard input or files)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="message files; standard input if none")

    def handle(self, *args, files, **options):
        messages = [(name, Path(name)) for name in files] if files else [("<stdin>", None)]
        read = recorded = ignored = 0
        for name, path in messages:
            try:
                raw = path.read_bytes() if path else sys.stdin.buffer.read(MAX_MESSAGE_BYTES)
            except OSError as exc:
                self.stderr.write(f"{name}: cannot read ({exc.strerror})")
                continue
            read += 1
            rows = hard_bounces(raw[:MAX_MESSAGE_BYTES])
            if not rows:
                ignored += 1
            for row in rows:
                with transaction.atomic():
                    recorded += record_bounce(row)
        self.stdout.write(
            f"{read} message(s) read, {recorded} hard bounce(s) recorded, "
            f"{ignored} not a hard bounce of ours"
        )
