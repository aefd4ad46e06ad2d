import json

import pytest

from recours.rights.savefile import SaveFileError, open_answers, seal_answers

pytestmark = pytest.mark.unit


def test_save_file_round_trip_and_no_plain_text():
    content = seal_answers({"surname": "Quenneville"}, "une phrase de passe")

    assert b"Quenneville" not in content
    assert open_answers(content, "une phrase de passe") == {"surname": "Quenneville"}


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda c, p: (c, "mauvaise phrase"), "wrong_passphrase"),
        (lambda c, p: (c.replace(b'"data": "', b'"data": "AAAA'), p), "wrong_passphrase"),
        (lambda c, p: (c[: len(c) // 2], p), "damaged"),
        (lambda c, p: (b"\x00\xff not json", p), "damaged"),
        (lambda c, p: (json.dumps({"format": "other"}).encode(), p), "not_a_save_file"),
        (lambda c, p: (b" " * 70_000, p), "too_large"),
    ],
)
def test_bad_save_files_are_refused_with_a_reason(damage, reason):
    content, passphrase = damage(
        seal_answers({"a": 1}, "une phrase de passe"), "une phrase de passe"
    )

    with pytest.raises(SaveFileError) as error:
        open_answers(content, passphrase)

    assert str(error.value) == reason


def test_hostile_kdf_parameters_are_refused():
    envelope = json.loads(seal_answers({"a": 1}, "une phrase de passe"))
    envelope["kdf"]["mem"] = 2**40

    with pytest.raises(SaveFileError) as error:
        open_answers(json.dumps(envelope).encode(), "une phrase de passe")

    assert str(error.value) == "not_a_save_file"
