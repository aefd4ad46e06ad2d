"""The campaign's share card (og:image): 1200×630 PNG with its title, organisation, the
count and the bar toward the next step, drawn here with Pillow (no browser), per
language. Kept in the cache and redrawn when the count crosses a step, or after an hour:
a card is fetched by every server that previews a shared link, in bursts."""

import functools
import hashlib
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from recours.campaigns.domain import confirmed_count
from recours.campaigns.models import Campaign, Picture, Rendition
from recours.campaigns.presentation import Progress, progress
from recours.core.pdf import font_dirs

SIZE = (1200, 630)
INK, PAPER, ACCENT, SOFT, MUTED = "#1a1a1a", "#ffffff", "#8c1c13", "#f3f0e8", "#4a4a4a"
CACHE_SECONDS = 3600
LOGO_BOX = (180, 180)  # top right, beside the title


@dataclass(frozen=True)
class CardText:
    """Every text the card draws: what a test reads, and what og:image:alt says."""

    title: str
    organisation: str
    count: str
    step: str
    host: str

    @property
    def alt(self) -> str:
        return f"{self.title} — {self.organisation}. {self.count}. {self.step}."


def card_text(campaign: Campaign, state: Progress) -> CardText:
    count = ngettext("%(n)s mandat confirmé", "%(n)s mandats confirmés", state.count) % {
        "n": number_format(state.count, force_grouping=True)
    }
    if state.step_is_goal:
        step = _("Objectif : %(goal)s") % {"goal": number_format(state.goal, force_grouping=True)}
    else:
        step = _("Prochaine étape : %(step)s (objectif : %(goal)s)") % {
            "step": number_format(state.step, force_grouping=True),
            "goal": number_format(state.goal, force_grouping=True),
        }
    host = settings.SITE_URL.split("://", 1)[-1]
    return CardText(campaign.title, campaign.organisation.name, count, step, host)


@functools.cache
def _font(bold: bool, size: int):
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    for folder in font_dirs():
        path = Path(folder) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)  # without the Noto fonts (the check warns)


def draw(text: CardText, state: Progress, accent: str = ACCENT, logo: bytes | None = None) -> bytes:
    image = Image.new("RGB", SIZE, PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, SIZE[0], 16), fill=accent)
    if logo:
        with Image.open(io.BytesIO(logo)) as mark:
            mark = mark.convert("RGBA")
            mark.thumbnail(LOGO_BOX)
            image.paste(mark, (SIZE[0] - 70 - mark.width, 50), mark)
    y = 60
    for line in textwrap.wrap(text.title, 27 if logo else 34)[:3]:
        pen.text((70, y), line, font=_font(True, 58), fill=INK)
        y += 72
    pen.text((70, y + 10), text.organisation, font=_font(False, 32), fill=MUTED)
    pen.text((70, 370), text.count, font=_font(True, 64), fill=accent)
    bar = (70, 470, 1130, 500)
    pen.rounded_rectangle(bar, radius=15, fill=SOFT, outline=MUTED, width=2)
    filled = bar[0] + (bar[2] - bar[0]) * state.percent // 100
    if filled > bar[0] + 30:
        pen.rounded_rectangle((bar[0], bar[1], filled, bar[3]), radius=15, fill=accent)
    pen.text((70, 520), text.step, font=_font(False, 32), fill=INK)
    pen.text((70, 570), text.host, font=_font(False, 26), fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def logo_pixels(logo: Picture | None) -> bytes | None:
    """The organisation's logo at the size the card and mails draw it: its 192-pixel (or
    smaller) PNG or JPEG rendition, pixels only, as stored."""
    if logo is None:
        return None
    rendition = (
        Rendition.objects.filter(picture=logo, width__lte=192)
        .exclude(format="webp")
        .order_by("-width")
        .values_list("data", flat=True)
        .first()
    )
    return bytes(rendition) if rendition is not None else None


def card_png(campaign: Campaign) -> bytes:
    state = progress(confirmed_count(campaign), campaign.goal, campaign.milestones)
    accent = campaign.accent or ACCENT
    logo = campaign.organisation.logo
    state_key = (
        f"{campaign.pk}:{campaign.title}:{campaign.organisation.name}:{get_language()}:"
        f"{state.step}:{state.goal}:{accent}:{logo.sha256 if logo else ''}"
    )
    key = "card:" + hashlib.sha256(state_key.encode()).hexdigest()[:32]
    png = cache.get(key)
    if png is None:
        png = draw(card_text(campaign, state), state, accent, logo_pixels(logo))
        cache.set(key, png, CACHE_SECONDS)
    return png
