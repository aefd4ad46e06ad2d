"""Cross-origin protection by the browser's headers (core/csrf.py), as the sign form
uses it: the cases of Go's CrossOriginProtection, and Referer for older browsers."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from recours.core.csrf import cross_origin_protected, is_cross_origin

OURS = "http://testserver"


@cross_origin_protected
def view(request):
    return HttpResponse("done")


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": OURS}, False),
        ({"HTTP_SEC_FETCH_SITE": "none"}, False),  # typed or bookmarked by the user
        ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://evil.example"}, True),
        ({"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://sub.testserver"}, True),
        # The header wins over an Origin that looks like ours.
        ({"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": OURS}, True),
        ({"HTTP_ORIGIN": OURS}, False),  # a browser before Sec-Fetch-Site
        ({"HTTP_ORIGIN": "https://evil.example"}, True),
        ({"HTTP_ORIGIN": "null"}, True),  # a sandboxed frame, a privacy-sensitive context
        ({"HTTP_ORIGIN": "https://testserver"}, True),  # another scheme is another origin
        ({"HTTP_REFERER": OURS + "/technopolice/"}, False),  # older still
        ({"HTTP_REFERER": "https://evil.example/page"}, True),
        ({}, False),  # not a browser: a script posts from its own address anyway
    ],
)
def test_what_the_browser_says_decides(headers, refused):
    request = RequestFactory().post("/technopolice/signer/", **headers)

    assert is_cross_origin(request) is refused
    response = view(request)
    assert response.status_code == (403 if refused else 200)


def test_a_trusted_origin_passes(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://campagne.example"]
    request = RequestFactory().post(
        "/", HTTP_ORIGIN="https://campagne.example", HTTP_SEC_FETCH_SITE="cross-site"
    )

    assert not is_cross_origin(request)


def test_reads_are_never_refused_and_the_view_needs_no_token():
    request = RequestFactory().get("/", HTTP_SEC_FETCH_SITE="cross-site")

    assert view(request).status_code == 200
    assert view.csrf_exempt  # Django's token check is replaced, not added to
