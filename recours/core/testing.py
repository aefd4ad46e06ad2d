"""Helpers for the test suites of every part (not used by the product)."""

import secrets
import time

from django.core import signing

from recours.core.models import OutboxEmail
from recours.mandates.forms import FORM_CLOCK_SALT


def old_clock(seconds_ago: float = 30, key: str | None = None) -> str:
    stamp = {"t": time.time() - seconds_ago, "k": key or secrets.token_urlsafe(16)}
    return signing.dumps(stamp, salt=FORM_CLOCK_SALT)


def queued_mails(template=None):
    rows = OutboxEmail.objects.filter(status=OutboxEmail.Status.QUEUED).order_by("pk")
    return list(rows.filter(template=template) if template else rows)


def link_from(body: str, marker: str) -> str:
    """The path of the first link in a mail body that contains `marker`."""
    for word in body.split():
        if marker in word:
            return word[word.index("/", len("http://")) :]
    raise AssertionError(f"no link with {marker!r} in the mail")
