"""The campaign's QR code (issue 13): drawn as SVG on the server, and read back by an
independent decoder (zbar) from Chromium's rendering of it."""

import shutil
import subprocess

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse


def test_the_qr_code_is_an_svg_of_the_tagged_address(client, campaign):
    response = client.get(reverse("campaigns:qr", args=[campaign.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == campaign.title
    assert "public" in response["Cache-Control"]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_phone_would_read_the_campaigns_address(browser, live_server, campaign, tmp_path):
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg is required here: run scripts/install-system-packages")
    page = browser.new_page(viewport={"width": 600, "height": 600})
    page.goto(live_server.url + reverse("campaigns:qr", args=[campaign.slug]))
    page.screenshot(path=tmp_path / "qr.png")
    page.close()

    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip

    assert decoded == f"http://127.0.0.1:8000/{campaign.slug}/?via=qr"
