"""Organisers' identity: images checked, re-encoded without their metadata and served in
several sizes; colours checked for contrast; bad input refused with nothing saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from recours.campaigns.models import Picture, Rendition
from recours.console.tests.conftest import member_client, text

pytestmark = pytest.mark.integration


def png(width=800, height=400, alpha=False, text_chunk=None) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (140, 28, 19, 200))
    info = PngImagePlugin.PngInfo()
    if text_chunk:
        info.add_text("Author", text_chunk)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (2000, 1000), (30, 60, 90))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def post(client, campaign, **fields):
    data = {"organisation_colour": "", "colour": "", "hero_alt": ""} | fields
    return client.post(reverse("console:identity", args=[campaign.slug]), data)


def test_a_logo_and_a_hero_are_served_in_sizes_without_their_metadata(people, campaign):
    client = member_client(people["organiser"])

    response = post(
        client, campaign,
        logo=SimpleUploadedFile("logo.png", png(500, 200, alpha=True, text_chunk="Jeanne Secret")),
        hero=SimpleUploadedFile("rassemblement.jpg", jpeg_with_gps()),
        hero_alt="Un rassemblement devant la préfecture",
    )  # fmt: skip
    page = client.get(campaign.get_absolute_url()).content.decode()

    assert response.status_code == 302
    campaign.refresh_from_db()
    hero = campaign.hero
    assert sorted(hero.renditions.values_list("width", "format")) == [
        (480, "jpeg"), (480, "webp"), (960, "jpeg"), (960, "webp"), (1600, "jpeg"), (1600, "webp"),
    ]  # fmt: skip
    for rendition in Rendition.objects.all():
        data = bytes(rendition.data)
        assert b"Jeanne Secret" not in data and b"CameraMaker" not in data
        assert not Image.open(io.BytesIO(data)).getexif()
    logo = campaign.organisation.logo
    assert sorted(logo.renditions.values_list("width", "format")) == [
        (96, "png"), (96, "webp"), (192, "png"), (192, "webp"), (384, "png"), (384, "webp"),
    ]  # fmt: skip
    served = client.get(reverse("campaigns:picture", args=[hero.sha256, 960, "webp"]))
    assert served["Content-Type"] == "image/webp"
    assert "immutable" in served["Cache-Control"]
    assert Image.open(io.BytesIO(served.content)).size == (960, 480)
    assert f'srcset="/images/{hero.sha256}-480.webp 480w, ' in page
    assert 'alt="Un rassemblement devant la préfecture"' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"just some text, not an image", "Ce fichier n'est pas une image lisible."),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "Ce fichier n'est pas une image lisible."),
        ("bomb.png", png(9000, 9000), "Cette image a trop de pixels"),
        ("logo.gif", gif(), "Envoyez une image PNG, JPEG ou WebP."),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_safe_image_is_refused_and_nothing_saved(
    people, campaign, name, content, message
):
    client = member_client(people["organiser"])

    response = post(client, campaign, logo=SimpleUploadedFile(name, content))

    assert response.status_code == 400
    assert message in text(response)
    assert Picture.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(people, campaign, settings):
    settings.IDENTITY_IMAGE_MAX_SIZE = 1024 * 1024
    client = member_client(people["organiser"])

    response = post(
        client, campaign, logo=SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * 1_100_000)
    )

    assert response.status_code == 400
    assert "Cette image dépasse 1 Mo." in text(response)


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("red; background:url(https://evil.example/x)", "Une couleur s'écrit # suivi de six"),
        ("#ffff00", "Cette couleur n'a qu'un contraste de 1,1:1 avec le fond blanc"),
        ("#8c1c13</style><script>", "Une couleur s'écrit # suivi de six"),
    ],
)
def test_a_colour_that_is_not_one_or_is_unreadable_is_refused(people, campaign, colour, message):
    client = member_client(people["organiser"])

    response = post(client, campaign, colour=colour)

    assert response.status_code == 400
    assert message in text(response)
    campaign.refresh_from_db()
    assert campaign.colour == ""


def test_a_readable_colour_themes_the_campaign_page(people, campaign):
    client = member_client(people["organiser"])

    post(client, campaign, organisation_colour="#1D4E89")
    page = client.get(campaign.get_absolute_url()).content.decode()
    theme = client.get(reverse("campaigns:theme", args=[campaign.slug]))

    assert f'href="{reverse("campaigns:theme", args=[campaign.slug])}"' in page
    assert theme.content.decode() == ":root { --accent: #1d4e89; }\n"


def test_a_hero_needs_its_description(people, campaign):
    client = member_client(people["organiser"])

    response = post(client, campaign, hero=SimpleUploadedFile("h.png", png()))

    assert response.status_code == 400
    assert "Décrivez l'image en quelques mots" in text(response)
    assert Picture.objects.count() == 0
