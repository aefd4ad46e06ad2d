from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        # The host of fediverse handles (@name@host), when federation is on.
        "FEDIVERSE_HOST": settings.SITE_URL.split("://", 1)[-1].rstrip("/")
        if settings.FEDERATION
        else "",
    }
