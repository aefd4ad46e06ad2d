"""The app server's warm-up (core/warmup.py): what it prepares, what it must not touch."""

import logging

from django.db import connections
from django.template import engines

from recours.core import warmup


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
