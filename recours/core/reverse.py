"""reverse() for the hot paths. A URL is the same for the same name, arguments, URLconf
and script prefix; resolving it again cost the sign request more than its rate limits'
arithmetic."""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse


def cached_reverse(viewname: str, *args) -> str:
    return _reverse(viewname, args, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=1024)
def _reverse(viewname: str, args: tuple, urlconf, prefix: str) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)
