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
        (lambda c, p: (c.replace(b'"salt": "', b'"salt": "AAAA'), p), "damaged"),
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


@pytest.mark.parametrize("field", ["ops", "mem"])
def test_parameters_above_the_sites_own_are_refused_before_any_derivation(field):
    """Up to four times the site's limits used to be accepted: 1.3 s and 256 MB each."""
    envelope = json.loads(seal_answers({"a": 1}, "une phrase de passe"))
    envelope["kdf"][field] *= 2

    with pytest.raises(SaveFileError) as error:
        open_answers(json.dumps(envelope).encode(), "une phrase de passe")

    assert str(error.value) == "not_a_save_file"


def test_derivations_wait_their_turn_and_give_up_clearly(monkeypatch):
    from recours.rights import savefile

    monkeypatch.setattr(savefile, "WAIT_FOR_A_TURN_SECONDS", 0.1)
    content = seal_answers({"a": 1}, "une phrase de passe")
    savefile.CONCURRENT_DERIVATIONS.acquire()  # another request is deriving
    try:
        with pytest.raises(SaveFileError) as error:
            open_answers(content, "une phrase de passe")
    finally:
        savefile.CONCURRENT_DERIVATIONS.release()

    assert str(error.value) == "busy"
    assert open_answers(content, "une phrase de passe") == {"a": 1}


@pytest.mark.django_db
def test_reopening_files_is_limited_per_network(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.PASSPHRASE_RATE_LIMIT = (3, 600)
    content = seal_answers({"kind": "tes", "answers": {}}, "une phrase de passe")

    statuses = [
        client.post(
            reverse("rights:load"),
            {"file": SimpleUploadedFile("l.recours", content), "passphrase": "mauvaise phrase"},
            REMOTE_ADDR="203.0.113.5",
        )
        for _ in range(4)
    ]

    assert [response.status_code for response in statuses] == [400, 400, 400, 429]
    assert 0 < int(statuses[-1]["Retry-After"]) <= 600
    assert "Réessayez dans" in statuses[-1].content.decode()
