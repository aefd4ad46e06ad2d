import pytest
from django.test import override_settings

from recours.core.crypto import (
    SealingError,
    generate_keypair,
    hash_token,
    keyed_hash,
    new_token,
    public_key_is_valid,
    seal,
    unseal,
)

pytestmark = pytest.mark.unit


def test_seal_opens_only_with_the_matching_private_key():
    public, private = generate_keypair()
    _, other_private = generate_keypair()
    sealed = seal(public, {"surname": "Dupontel", "email": "m@example.org"})

    assert unseal(private, sealed) == {"surname": "Dupontel", "email": "m@example.org"}
    with pytest.raises(SealingError):
        unseal(other_private, sealed)


def test_seal_hides_the_plain_text_and_differs_each_time():
    public, _ = generate_keypair()
    first = seal(public, {"surname": "Dupontel"})
    second = seal(public, {"surname": "Dupontel"})

    assert b"Dupontel" not in first
    assert first != second


def test_unseal_refuses_a_tampered_record():
    public, private = generate_keypair()
    sealed = bytearray(seal(public, {"surname": "Dupontel"}))
    sealed[-1] ^= 1

    with pytest.raises(SealingError):
        unseal(private, bytes(sealed))


def test_keyed_hash_depends_on_the_pepper():
    with override_settings(PEPPER="pepper-one"):
        first = keyed_hash("mandate-email", "1", "m@example.org")
    with override_settings(PEPPER="pepper-two"):
        second = keyed_hash("mandate-email", "1", "m@example.org")

    assert first != second
    assert len(first) == 64


def test_keyed_hash_parts_are_unambiguous():
    assert keyed_hash("ab", "c") != keyed_hash("a", "bc")


def test_new_token_is_random_and_stored_as_its_hash():
    token, token_hash = new_token()
    other, _ = new_token()

    assert token != other
    assert len(token) >= 43
    assert token_hash == hash_token(token)
    assert token not in token_hash


def test_public_key_is_valid_accepts_only_32_byte_keys():
    public, _ = generate_keypair()

    assert public_key_is_valid(public) is True
    assert public_key_is_valid("bm90IGEga2V5") is False
    assert public_key_is_valid("not base64!") is False
