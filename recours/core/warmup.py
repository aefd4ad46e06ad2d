"""What a process's first request would pay, paid when the app server loads the app.

Measured (PostgreSQL settings, gunicorn, one worker): a new worker's first campaign page
view cost 920 ms of CPU, against under 1 ms for the next ones, mostly imports (the URL
configuration pulls in every view: the console's WebAuthn, the API's schemas, PDF
tools), the cache client's module and the first compile of the templates. Every worker
pays it after a deploy, a restart or a crash, and at a surge its first visitors waited
for it. Nothing here opens a database connection, which a server that forks after loading
the app (gunicorn --preload) must not share between processes (redis-py's pool starts
afresh in a forked process).
"""

import gc
import logging
from importlib import import_module

from django.conf import settings
from django.core.cache import caches
from django.core.validators import validate_email
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from recours.core.text import render_markdown

log = logging.getLogger(__name__)

# The pages of a surge: the campaign, the signature's answers, the confirmation's.
HOT_TEMPLATES = [
    "mandates/campaign_page.html",
    "mandates/check_mail.html",
    "mandates/confirm.html",
    "mandates/confirmed.html",
    "mandates/token_problem.html",
    "mandates/too_many.html",
]


def warm_up() -> None:
    """Imports every view and compiles the URLs, loads each language's catalogue,
    compiles the hot templates, the Markdown parser and the address validator, and
    connects the caches (last: a cache that is down stops only its own step). A failure
    costs only the warmth: it is logged, and the first request does the rest as it
    always could."""
    try:
        resolver = get_resolver()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Recours")
                resolver.reverse_dict  # noqa: B018 - imports the views, compiles the URLs
        render_markdown("*Recours*")  # imports the parser and its extensions
        # Django compiles its address patterns at their first use: 32 ms of the first
        # signature's 36 (83–95 ms in each worker at a surge's start, on 2 busy cores).
        validate_email("warm-up@example.org")
        import_module("disposable_email_domains")  # the throwaway domains' list: 3 ms
        for name in HOT_TEMPLATES:
            get_template(name)
        for alias in settings.CACHES:
            caches[alias].get("warm-up")  # imports the client's module, connects
    except Exception:
        log.warning("warm-up incomplete: the first requests will do the rest", exc_info=True)


def freeze_loaded() -> None:
    """Tells the garbage collector that what is loaded now (modules, URLs, catalogues,
    compiled templates) lives as long as the process, so that its full collections stop
    walking it. Measured in a sign surge (bench/load.py, 4 workers): each worker's full
    collection took 76–171 ms, at the same moment in all of them (they allocate alike), and
    every request in flight waited for it: the p99. Call it once, after the warm-up."""
    gc.freeze()
