"""The counter widget: the one page another site may frame (issue 13's widget)."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.urls import reverse

from recours.campaigns.models import Campaign

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_the_widget_may_be_framed_and_nothing_else_may(client, campaign):
    widget = client.get(reverse("campaigns:widget", args=[campaign.slug]))
    page = client.get(campaign.get_absolute_url())

    assert widget.status_code == 200
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    body = widget.content.decode()
    assert "<script" not in body and not widget.cookies
    assert f"{campaign.get_absolute_url()}?via=widget#signer" in body
    assert 'target="_blank" rel="noopener"' in body


def test_the_frame_ancestors_are_configurable(client, campaign, settings):
    settings.WIDGET_FRAME_ANCESTORS = "https://partenaire.example.org"

    widget = client.get(reverse("campaigns:widget", args=[campaign.slug]))

    assert "frame-ancestors https://partenaire.example.org" in widget["Content-Security-Policy"]


def test_a_draft_campaign_has_no_widget(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status="draft")

    assert client.get(reverse("campaigns:widget", args=[campaign.slug])).status_code == 404


def test_the_campaign_page_gives_the_snippet(client, campaign):
    page = client.get(campaign.get_absolute_url()).content.decode()

    assert f'&lt;iframe src="http://127.0.0.1:8000/{campaign.slug}/widget/"' in page


@pytest.fixture
def other_site(tmp_path):
    """Another origin, on another loopback port, serving one page that frames ours."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_chromium_shows_the_widget_in_another_sites_frame_and_refuses_the_page(
    browser, live_server, campaign, other_site
):
    folder, origin = other_site
    widget = live_server.url + reverse("campaigns:widget", args=[campaign.slug])
    (folder / "index.html").write_text(
        "<!doctype html><title>Partenaire</title>"
        f'<iframe id="widget" src="{widget}" width="400" height="240"></iframe>'
        f'<iframe id="page" src="{live_server.url}{campaign.get_absolute_url()}" width="400" height="240"></iframe>'
    )
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(origin + "/index.html")
    page.wait_for_load_state("load")

    framed = page.frame_locator("#widget")
    assert framed.locator(".widget__count").inner_text().startswith("0")
    assert framed.get_by_role("link", name="Signer").get_attribute("target") == "_blank"
    # The campaign page itself is refused (frame-ancestors 'none'): Chromium shows its
    # error page in that frame, with none of ours.
    assert page.frame_locator("#page").locator(".progress-block").count() == 0
    assert page.frame_locator("#widget").locator(".widget__title").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "widget-on-another-site.png")
    context.close()
