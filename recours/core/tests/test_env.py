import os
import subprocess
import sys
from pathlib import Path

import pytest

from recours.core.env import env_bool, env_choice

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("written", "read"),
    [("1", True), ("TRUE", True), (" yes ", True), ("on", True), ("0", False), ("off", False),
     ("No", False), ("", True)],
)  # fmt: skip
def test_env_bool_reads_the_documented_spellings(monkeypatch, written, read):
    monkeypatch.setenv("RECOURS_SWITCH", written)

    assert env_bool("RECOURS_SWITCH", default=True) is read


@pytest.mark.parametrize("written", ["ture", "oui", "2", "enabled"])
def test_env_bool_refuses_anything_else(monkeypatch, written):
    monkeypatch.setenv("RECOURS_SWITCH", written)

    with pytest.raises(ValueError, match=f"RECOURS_SWITCH='{written}'"):
        env_bool("RECOURS_SWITCH")


def test_env_choice_refuses_an_unknown_mode(monkeypatch):
    monkeypatch.setenv("RECOURS_MODE", "prod")

    with pytest.raises(ValueError, match="one of demo, production"):
        env_choice("RECOURS_MODE", {"production", "demo"}, default="production")


def _settings_of(**env) -> subprocess.CompletedProcess:
    # As a host starts it: none of this run's secrets, nor pytest-cov's hooks, which
    # would load pytest into the process.
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "PEPPER", "RECOURS_MODE"}
        and not name.startswith(("COV_CORE_", "PYTEST_"))
    }
    code = "from django.conf import settings; print(settings.MODE, settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env=clean | {"DJANGO_SETTINGS_MODULE": "recours.settings"} | env,
    )  # fmt: skip


def test_the_mode_is_said_by_the_environment_not_the_command_line(tmp_path):
    production = _settings_of(VAR_DIR=str(tmp_path))
    offline = _settings_of(RECOURS_MODE="offline", VAR_DIR=str(tmp_path))
    demo = _settings_of(RECOURS_MODE="demo", VAR_DIR=str(tmp_path))
    typo = _settings_of(RECOURS_MODE="demo", DEBUG="ture", VAR_DIR=str(tmp_path))

    assert "SECRET_KEY is not set" in production.stderr
    assert offline.stdout == "offline False\n"
    assert demo.stdout == "demo True\n"
    assert "DEBUG='ture'" in typo.stderr
