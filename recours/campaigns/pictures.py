"""Images organisers upload (a logo, a hero image), made safe to publish.

An upload is opened by Pillow only if it is a PNG, JPEG or WebP no larger than
IDENTITY_IMAGE_MAX_SIZE, whose declared size stays under MAX_PIXELS before a pixel is
decoded (a decompression bomb is refused from its header). It is then re-encoded from its
pixels alone, which leaves behind every metadata block (EXIF with its GPS position and
camera serial, XMP, comments, ICC), in a few widths for `srcset`: WebP, and PNG (with
transparency) or JPEG as the fallback. What is stored and served is only those.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from recours.campaigns.models import Picture, Rendition

FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_PIXELS = 40_000_000  # 8,000 × 5,000: more than any camera's photo, far from a bomb
WIDTHS = {"hero": (480, 960, 1600), "logo": (96, 192, 384)}


class PictureError(ValueError):
    """Why an upload was refused, in words for the organiser."""


@dataclass(frozen=True)
class Prepared:
    width: int
    height: int
    alpha: bool
    renditions: list[tuple[int, str, bytes]]  # (width, format, bytes)


def prepare(content: bytes, kind: str) -> Prepared:
    if len(content) > settings.IDENTITY_IMAGE_MAX_SIZE:
        raise PictureError(
            _("Cette image dépasse %(mb)s Mo.")
            % {"mb": settings.IDENTITY_IMAGE_MAX_SIZE // (1024 * 1024)}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.format not in FORMATS:
                raise PictureError(_("Envoyez une image PNG, JPEG ou WebP."))
            if image.width * image.height > MAX_PIXELS:
                raise PictureError(_("Cette image a trop de pixels (40 millions au plus)."))
            image.load()
    except PictureError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning):  # fmt: skip
        raise PictureError(_("Ce fichier n'est pas une image lisible.")) from None
    image = ImageOps.exif_transpose(image)  # a photo keeps its way up, not its EXIF
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    pixels = image.convert("RGBA" if alpha else "RGB")
    renditions = []
    for width in _widths(WIDTHS[kind], pixels.width):
        height = max(1, round(pixels.height * width / pixels.width))
        resized = pixels.resize((width, height), Image.LANCZOS) if width != pixels.width else pixels
        renditions.append((width, "webp", _encode(resized, "WEBP", quality=82, method=5)))
        if alpha:
            renditions.append((width, "png", _encode(resized, "PNG", optimize=True)))
        else:
            renditions.append((width, "jpeg", _encode(resized, "JPEG", quality=85,
                                                      progressive=True, optimize=True)))  # fmt: skip
    return Prepared(pixels.width, pixels.height, alpha, renditions)


def _widths(wanted: tuple[int, ...], original: int) -> list[int]:
    """The widths wanted up to the original's, and the original's if it is smaller."""
    return [width for width in wanted if width <= original] or [original]


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)  # no exif=, no icc_profile=: none is written
    return out.getvalue()


def store_picture(prepared: Prepared, kind: str) -> Picture:
    """Stores a prepared upload; the same image uploaded twice is stored once."""
    digest = hashlib.sha256(b"".join(data for _, _, data in prepared.renditions)).hexdigest()
    with transaction.atomic():
        picture, created = Picture.objects.get_or_create(
            sha256=digest,
            defaults={"width": prepared.width, "height": prepared.height,
                      "alpha": prepared.alpha, "kind": kind},
        )  # fmt: skip
        if created:
            Rendition.objects.bulk_create(
                Rendition(picture=picture, width=width, format=fmt, data=data)
                for width, fmt, data in prepared.renditions
            )
    return picture
