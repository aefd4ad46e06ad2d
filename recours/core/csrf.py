"""Cross-origin protection by the browser's own headers, for the public sign form: no
cookie, no token.

The sign form is anonymous: a forged submission from another site could only sign with
the identity the other site typed, which that site could post itself, but through its
visitors' browsers it would spread its attempts over their addresses and slip under the
rate limits. What stops it is telling a cross-site form from ours. Browsers say it
themselves: Sec-Fetch-Site (every major browser since 2023) and Origin (on every POST
since 2020), with Referer as a last resort for older ones. This is the check of Go's
net/http CrossOriginProtection (Go 1.25) and ASP.NET Core's ICsrfProtection.

Why not Django's token here: it needs a cookie, so the campaign page, the most viewed
page of a surge, set a cookie for every first visitor and carried a token of theirs; the
page then costs the cookie and the token more than its cached bytes. The confirm,
withdraw and console forms keep Django's token and cookie.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_callable
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
SAME_ORIGIN_FETCHES = {"same-origin", "none"}  # "none": typed, bookmarked, the user's own
REASON = "Cross-origin request (Sec-Fetch-Site, Origin or Referer)."


def is_cross_origin(request) -> bool:
    """Whether the browser says this request comes from a page of another origin."""
    meta = request.META
    origin = meta.get("HTTP_ORIGIN")
    if origin is not None and origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    site = meta.get("HTTP_SEC_FETCH_SITE")
    if site is not None:
        return site not in SAME_ORIGIN_FETCHES
    ours = f"{request.scheme}://{request.get_host()}"
    if origin is not None:
        return origin != ours
    referer = meta.get("HTTP_REFERER")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" != ours
    # Neither header: not a browser (a script can post from its own address anyway, and
    # the rate limits count it there), or one too old to matter.
    return False


def cross_origin_protected(view):
    """Refuses a state-changing request from another origin, with Django's CSRF failure
    page (403); in place of Django's token check, which the view is exempt from."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method not in SAFE_METHODS and is_cross_origin(request):
            return get_callable(settings.CSRF_FAILURE_VIEW)(request, reason=REASON)
        return view(request, *args, **kwargs)

    return csrf_exempt(checked)
