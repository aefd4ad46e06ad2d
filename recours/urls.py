from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from recours.campaigns.converters import CampaignSlugConverter
from recours.console.views.signin import admin_login
from recours.core import views as core_views
from recours.observatory.api import api as observatory_api

handler400 = "recours.core.views.bad_request"
handler403 = "recours.core.views.forbidden"
handler404 = "recours.core.views.not_found"
handler500 = "recours.core.views.server_error"

register_converter(CampaignSlugConverter, "campaign")

urlpatterns = [
    # First: the campaigns' public pages take most of the traffic, and their addresses
    # cannot be one of the site's own (the converter refuses reserved first segments).
    path("", include("recours.campaigns.urls")),
    path("", include("recours.mandates.urls")),
    # Before the admin's own: signing in happens in the console, with its second factor.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("console/", include("recours.console.urls")),
    # Without CSRF: the switch is on every page, and a token would set a cookie on the
    # pages that shared caches keep for everyone. A forged request can change nothing
    # but the language a visitor reads.
    path("langue/", csrf_exempt(set_language), name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics_view, name="metrics"),
    path("mentions-legales/", core_views.legal_notice, name="legal_notice"),
    path("accessibilite/", core_views.accessibility, name="accessibility"),
    path("droits/", include("recours.rights.urls")),
    path("api/observatoire/", observatory_api.urls),
    path("", include("recours.federation.urls")),
    path("observatoire/", include("recours.observatory.urls")),
]
