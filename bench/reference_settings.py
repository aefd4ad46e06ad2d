"""Settings of the bench's reference app (bench/reference_views.py): Recours's own, with
its URLs replaced and no middleware: only the work a request cannot avoid."""

from recours.settings import *  # noqa: F403

ROOT_URLCONF = "bench.reference_views"
MIDDLEWARE = []
