"""What the configured cache can be trusted with."""

from django.conf import settings


def cache_is_shared() -> bool:
    """Whether every process sees the same cache (Redis), or each its own memory (the
    local-memory cache of the embedded setup). Read at call time: tests swap caches."""
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
