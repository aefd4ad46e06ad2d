"""The CSRF token a cached page writes into its forms: the same token Django's get_token
gives, which Django's CSRF check accepts as is, made for a fraction of the cost.

Django draws each of a token's random characters with its own call to the system's
generator (32 for a new visitor's secret, 32 for the one-time mask against BREACH), and
re-sends the cookie on every page that shows a token, to renew its year. On a replayed
campaign page those cost more than the rest of the view. Here each string of random
characters comes from one read of os.urandom, and a visitor who has the cookie keeps it
as it is (it is replaced on the first visit after its year).
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_BASE = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: number for number, char in enumerate(CSRF_ALLOWED_CHARS)}
# Bytes from this up are dropped rather than folded, so that every character is as likely.
_UNBIASED_BELOW = 256 - 256 % _BASE


def random_string(length: int = CSRF_SECRET_LENGTH) -> str:
    chars: list[str] = []
    while len(chars) < length:
        chars += [
            CSRF_ALLOWED_CHARS[b % _BASE] for b in os.urandom(length + 16) if b < _UNBIASED_BELOW
        ]
    return "".join(chars[:length])


def masked(secret: str) -> str:
    """Django's masked form of `secret` (csrf._mask_cipher_secret), with a fresh mask."""
    mask = random_string()
    cipher = "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[s] + _INDEX[m]) % _BASE]
        for s, m in zip(secret, mask, strict=True)
    )
    return mask + cipher


def form_token(request) -> str:
    """The token for a form of `request`'s answer. A visitor without a valid CSRF cookie
    gets a new secret, which the CSRF middleware then sets as the cookie, as it does after
    Django's get_token."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_string()
        request.META["CSRF_COOKIE"] = secret
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return masked(secret)
