"""The worker's turn: what each part gives the worker to do before it sends the mail.

Core names no part: a part appends a Step to STEPS in its AppConfig.ready (the sign
intake does, mandates/apps.py). A step takes a batch size and returns how many items it
handled, so that the worker sleeps only when every step and the mail have run dry; it
also says how long its oldest item has waited, which the health check watches.
"""

from collections.abc import Callable
from dataclasses import dataclass

from recours.core.mail import send_due_emails


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[int], int]
    oldest_waiting_seconds: Callable[[], float | None]


STEPS: list[Step] = []


def one_turn(batch: int) -> tuple[int, dict]:
    """Runs every step, then sends what is due; returns the items the steps handled and
    the mail's counts."""
    handled = sum(step.run(batch) for step in STEPS)
    return handled, send_due_emails(limit=batch)
