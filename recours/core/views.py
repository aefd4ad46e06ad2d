from django.conf import settings
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe


@require_safe
def legal_notice(request):
    return render(request, "core/legal_notice.html", {"legal": settings.LEGAL_NOTICE})


@require_safe
def accessibility(request):
    return render(request, "core/accessibility.html")


def _error(request, status):
    return render(request, "core/error.html", {"status": status}, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(request, 400)


@requires_csrf_token
def forbidden(request, exception=None):
    return _error(request, 403)


@requires_csrf_token
def not_found(request, exception=None):
    return _error(request, 404)


@requires_csrf_token
def server_error(request):
    return _error(request, 500)


def csrf_failure(request, reason=""):
    return render(request, "core/error.html", {"status": 403, "csrf": True}, status=403)
