import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from recours.core import csrf, health, metrics


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
    # A form posted from another site (core/csrf.py) is not an expired one: say which.
    context = {"status": 403, "csrf": True, "cross_origin": reason == csrf.REASON}
    return render(request, "core/error.html", context, status=403)


@never_cache
@require_safe
def healthz(request):
    """The process is up: no database, no cache, nothing that could be slow."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Ready to serve: database, cache, migrations, mail worker keeping up. Says yes or no
    only; `manage.py health` says why."""
    ready = health.ready()
    return JsonResponse({"status": "ready" if ready else "not ready"}, status=200 if ready else 503)


@never_cache
@require_safe
def metrics_view(request):
    """Prometheus text format, for a bearer of METRICS_TOKEN; without the setting, or with
    a wrong token, the page does not exist."""
    expected = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Http404
    return HttpResponse(metrics.exposition(), content_type="text/plain; version=0.0.4")
