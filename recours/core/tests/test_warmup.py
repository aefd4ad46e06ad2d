"""The app server's warm-up (core/warmup.py): what it prepares, what it must not touch."""

import logging
import subprocess
import sys
from pathlib import Path

from django.db import connections
from django.template import engines

from recours.core import warmup
from recours.core.tests.appserver import AppServer

BASE_DIR = Path(__file__).resolve().parents[3]


def cached_templates() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]  # Django's cached loader
    return set(loader.get_template_cache)


def test_the_warm_up_compiles_the_hot_templates_and_uses_no_database(caplog, monkeypatch):
    def no_database():
        raise AssertionError("the warm-up used the database")

    for connection in connections.all():
        monkeypatch.setattr(connection, "ensure_connection", no_database)
    engines["django"].engine.template_loaders[0].reset()

    with caplog.at_level(logging.WARNING, logger="recours.core.warmup"):
        warmup.warm_up()

    assert not caplog.records  # no step failed, none tried the database
    assert set(warmup.HOT_TEMPLATES) <= cached_templates()


def test_a_failed_warm_up_is_logged_and_costs_only_the_warmth(caplog, monkeypatch):
    monkeypatch.setattr(warmup, "HOT_TEMPLATES", ["mandates/no-such-page.html"])

    with caplog.at_level(logging.WARNING, logger="recours.core.warmup"):
        warmup.warm_up()  # does not raise: the app loads and serves

    assert "warm-up incomplete" in caplog.text


def test_a_worker_freezes_what_it_loaded_and_compiles_the_address_patterns(tmp_path):
    """In a new process, as gunicorn loads the app: a full collection no longer walks the
    loaded modules (they stalled every worker at once in a surge), and the first
    signature finds Django's address patterns compiled."""
    script = (
        "import gc, recours.wsgi\n"
        "from django.core.validators import EmailValidator\n"
        "print(gc.get_freeze_count(), 're.compile' in repr(EmailValidator.domain_regex))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=AppServer(tmp_path).env,  # production settings, as gunicorn runs them
        capture_output=True, text=True, check=True, cwd=BASE_DIR,
    )  # fmt: skip
    frozen, compiled = done.stdout.split()[-2:]
    assert int(frozen) > 100_000
    assert compiled == "True"
