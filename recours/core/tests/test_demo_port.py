"""`make demo PORT=…`: the served address is the one mailed links and the embed snippet
give (issue 15)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from recours.core.management.commands.serve_demo import follow_served_address


def settings_site_url(**env) -> str:
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    environment |= {"DJANGO_SETTINGS_MODULE": "recours.settings", "RECOURS_MODE": "demo",
                    "DEBUG": "1", **env}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_default_address_follows_port():
    assert settings_site_url() == "http://127.0.0.1:8000"
    assert settings_site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert settings_site_url(PORT="8123", SITE_URL="https://plainte.example.org/") == (
        "https://plainte.example.org"
    )


@pytest.mark.parametrize(
    ("addrport", "expected"),
    [("127.0.0.1:8765", "http://127.0.0.1:8765"), ("0.0.0.0:9000", "http://127.0.0.1:9000"),
     ("localhost:8001", "http://localhost:8001")],
)  # fmt: skip
def test_serve_demo_points_links_to_the_address_it_serves(
    monkeypatch, client, campaign, addrport, expected
):
    monkeypatch.setattr(settings, "SITE_URL_FROM_ENV", False)
    monkeypatch.setattr(settings, "SITE_URL", "http://127.0.0.1:8000")

    follow_served_address(addrport)

    assert settings.SITE_URL == expected
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f'&lt;img src="{expected}/' in page


def test_an_explicit_site_url_is_kept(monkeypatch):
    monkeypatch.setattr(settings, "SITE_URL_FROM_ENV", True)
    monkeypatch.setattr(settings, "SITE_URL", "https://plainte.example.org")

    follow_served_address("127.0.0.1:8001")

    assert settings.SITE_URL == "https://plainte.example.org"
