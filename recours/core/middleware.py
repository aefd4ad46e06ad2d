"""Security headers and cheap refusals that every response needs."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

CSP_DIRECTIVES = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


def content_security_policy(**overrides: str) -> str:
    """The site's CSP; a view that needs more (e.g. a form leaving the site) overrides one
    directive with `form_action="'self' https:"` and sets the header itself."""
    directives = CSP_DIRECTIVES | {key.replace("_", "-"): value for key, value in overrides.items()}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


DEFAULT_CSP = content_security_policy()
DATABASE_DOWN_RETRY_SECONDS = 30
log = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            # A shared cache would hand one visitor's cookie to every other: a response
            # that sets one is never public.
            patch_cache_control(response, private=True)
        response.headers.setdefault("Content-Security-Policy", DEFAULT_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response


class RequestLimitsMiddleware:
    """Refuses an oversized body from its Content-Length, before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        # The forms that take a document may send more (Django streams files to disk);
        # everywhere else the small limit stands, files or not.
        takes_files = request.META.get("CONTENT_TYPE", "").startswith(
            "multipart/form-data"
        ) and request.path.startswith(settings.UPLOAD_PATHS)
        limit = (
            settings.UPLOAD_MAX_BODY_SIZE if takes_files else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if length < 0 or length > limit:
            body = render_to_string("core/error.html", {"status": 413}, request=request)
            return HttpResponse(body, status=413 if length > 0 else 400)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """While the database is down or restarting, answers 503 with Retry-After instead of
    a 500: the visitor learns that nothing was saved and when to come back, and a load
    balancer or client can retry. The transaction of the request was rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable: %s", exception)
        body = render_to_string("core/error.html", {"status": 503})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_SECONDS)
        return response
