import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

LOCALE = Path(__file__).resolve().parents[2] / "locale"
# An empty translation: msgstr "" with no continuation line after it.
EMPTY_MSGSTR = re.compile(r'^msgstr(?:\[\d\])? ""\n(?!")', re.MULTILINE)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po_file = LOCALE / language / "LC_MESSAGES" / "django.po"
    _header, entries = po_file.read_text().split("\n\n", 1)

    assert EMPTY_MSGSTR.findall(entries + "\n") == []
    assert "#, fuzzy" not in entries
    assert po_file.with_suffix(".mo").exists()
