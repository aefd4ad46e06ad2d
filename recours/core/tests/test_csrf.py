"""The cheaper CSRF tokens of cached pages (core/csrf.py) are Django's own."""

from collections import Counter

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
)

from recours.core.csrf import masked, random_string


def test_a_masked_token_unmasks_to_its_secret_with_djangos_own_function():
    secrets = [random_string() for _ in range(200)]
    tokens = [masked(secret) for secret in secrets]

    assert [_unmask_cipher_token(token) for token in tokens] == secrets
    assert {len(token) for token in tokens} == {CSRF_TOKEN_LENGTH}
    assert len(set(tokens)) == 200  # a fresh mask each time


def test_random_strings_use_every_allowed_character_evenly():
    counts = Counter("".join(random_string() for _ in range(3000)))

    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 3000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # about 1,548
    # Folding bytes 248-255 would make 8 characters 25 % likelier than the rest.
    assert max(counts.values()) < expected * 1.15
    assert min(counts.values()) > expected * 0.85
