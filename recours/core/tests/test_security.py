import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-that-is-long-and-random-0123456789",
    "PEPPER": "p" * 60,
    "DATA_KEY": "BAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ=",
    "ALLOWED_HOSTS": "recours.example.org",
    "VAR_DIR": "/tmp/recours-security-test",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.integration
def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.integration
@pytest.mark.parametrize("missing", ["SECRET_KEY", "PEPPER", "DATA_KEY"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = manage("check", env=env)

    assert result.returncode == 1
    assert f"{missing} is not set. Production (DEBUG off) needs it" in result.stderr


@pytest.mark.integration
def test_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "pepper"
    secret_file.write_text("f" * 60 + "\n")
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "PEPPER"}
    env["PEPPER_FILE"] = str(secret_file)

    result = manage("check", env=env)

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client, campaign):
    response = client.get(campaign.get_absolute_url())

    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_load_nothing_from_other_sites_and_have_no_inline_code(client, campaign):
    page = client.get(campaign.get_absolute_url()).content.decode()

    loaded = re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="([^"]+)"', page)
    assert [url for url in loaded if not url.startswith("/")] == [
        "http://testserver/plainte-test/"  # the canonical link, to ourselves
    ]
    # Data blocks (type="application/json") are never executed; any other script is.
    assert re.findall(r'<script(?![^>]*(?:src=|type="application/json"))[^>]*>', page) == []
    assert re.findall(r'\sstyle="|\son[a-z]+="', page) == []


@pytest.mark.django_db
def test_admin_is_behind_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.django_db
def test_sign_in_is_throttled_per_account_then_per_network(client, settings):
    """The console's sign-in, where the admin's leads."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("gardienne", "g@example.org", "the right password 42")
    url = reverse("console:login")

    wrong = [
        client.post(url, {"username": "gardienne", "password": f"wrong {n}"}, REMOTE_ADDR=f"203.0.113.{n}")
        for n in range(11)
    ]  # fmt: skip
    right = client.post(url, {"username": "gardienne", "password": "the right password 42"},
                        REMOTE_ADDR="198.51.100.1")  # fmt: skip
    others = [
        client.post(url, {"username": f"compte{n}", "password": "x"}, REMOTE_ADDR="192.0.2.7")
        for n in range(31)
    ]  # fmt: skip

    assert [response.status_code for response in wrong] == [200] * 10 + [429]
    assert wrong[-1]["Retry-After"] == str(int(wrong[-1]["Retry-After"]))
    assert 0 < int(wrong[-1]["Retry-After"]) <= 900
    assert "Trop de tentatives de connexion" in wrong[-1].content.decode()
    assert right.status_code == 429  # the account waits, even with the right password
    assert [response.status_code for response in others] == [200] * 30 + [429]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "value"),
    [("SECRET_KEY", "change-me-to-50-random-characters"), ("PEPPER", "short-pepper")],
)
def test_production_refuses_a_placeholder_or_short_secret(name, value):
    result = manage("check", env=PRODUCTION_ENV | {name: value})

    assert result.returncode == 1
    assert f"{name} is .env.example's placeholder or shorter than 32 characters" in result.stderr


@pytest.mark.django_db
def test_the_language_switch_works_without_a_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("set_language"), {"language": "en", "next": "/"}
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
