"""The dependency direction between the parts, as CONTRIBUTING.md writes it down."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PACKAGE = Path(__file__).resolve().parents[1]
# Which parts a part may import; a part always imports itself. Keep in step with
# CONTRIBUTING.md ("Which part may import which").
MAY_IMPORT = {
    "core": set(),
    "campaigns": {"core"},
    "mandates": {"campaigns", "core"},
    "rights": {"core"},
    "observatory": {"core"},
    # Campaigns and the observatory as fediverse accounts: reads the parts, posts about them.
    "federation": {"campaigns", "mandates", "observatory", "core"},
    # The organisers' console uses the parts' domain functions; nothing imports it.
    "console": {"campaigns", "mandates", "observatory", "federation", "core"},
}
# Project-level modules that only tests may use: helpers that build a campaign and a
# sign form, and the WSGI entry point that schemathesis drives.
TEST_ONLY = {"testing", "wsgi"}


def imported_parts(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[1] for name in names if name.startswith("recours."))
    return found


def breaches() -> list[str]:
    found = []
    for part, allowed in MAY_IMPORT.items():
        for path in sorted((PACKAGE / part).rglob("*.py")):
            in_tests = "tests" in path.relative_to(PACKAGE / part).parts
            permitted = allowed | {part} | (TEST_ONLY if in_tests else set())
            for other in sorted(imported_parts(path) - permitted):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports recours.{other}")
    return found


def test_every_part_is_in_the_table():
    parts = {path.parent.name for path in PACKAGE.glob("*/apps.py")}

    assert parts == set(MAY_IMPORT)


def test_parts_import_only_what_they_may():
    assert breaches() == []


def test_the_check_catches_a_breach(tmp_path, monkeypatch):
    fake = tmp_path / "recours"
    (fake / "core").mkdir(parents=True)
    (fake / "core" / "bad.py").write_text("from recours.mandates.models import Mandate\n")
    for part in set(MAY_IMPORT) - {"core"}:
        (fake / part).mkdir()
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)

    assert breaches() == ["recours/core/bad.py imports recours.mandates"]


def test_offline_dossier_build_loads_no_model():
    """The offline build runs from a bare checkout: importing it must not need the app
    registry (a model import before django.setup() raises AppRegistryNotReady)."""
    code = (
        "import sys, recours.mandates.dossier.build, recours.mandates.dossier.verify\n"
        "print(sorted(m for m in sys.modules if m.startswith('recours') and 'models' in m))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "recours.settings", "DEBUG": "1"},
        check=True,
    )

    assert result.stdout.strip() == "[]"
