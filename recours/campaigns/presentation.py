"""What the public pages say about a campaign's time and progress."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def time_left_message(closes_at: datetime, now: datetime) -> str:
    remaining = closes_at - now
    if remaining.total_seconds() <= 0:
        return _("La signature est close.")
    days = remaining.days
    if days >= 1:
        return ngettext(
            "Plus que %(count)d jour pour signer", "Plus que %(count)d jours pour signer", days
        ) % {"count": days}
    hours = int(remaining.total_seconds() // 3600)
    if hours >= 1:
        return ngettext(
            "Plus que %(count)d heure pour signer", "Plus que %(count)d heures pour signer", hours
        ) % {"count": hours}
    return _("Moins d'une heure pour signer")


@dataclass(frozen=True)
class Progress:
    """Where the counter stands against the next step: the bar fills toward `step`, the
    first milestone (or the goal) not yet reached; past the goal, toward the goal itself."""

    count: int
    step: int
    goal: int

    @property
    def percent(self) -> int:
        return min(100, self.count * 100 // self.step) if self.step else 100

    @property
    def step_is_goal(self) -> bool:
        return self.step == self.goal


def progress(count: int, goal: int, milestones: list[int] | None = None) -> Progress:
    steps = sorted({step for step in (milestones or []) if 0 < step < goal} | {goal})
    step = next((step for step in steps if step > count), goal)
    return Progress(count=count, step=step, goal=goal)


# Below this, "N in the last 24 hours" is not shown: a tiny number says little to a
# visitor and, on a quiet day, could hint at who signed.
RECENT_SHOWN_FROM = 10


def in_language(rows, language: str, fallback: str) -> list:
    """The rows written in the visitor's language, else those in the campaign's own, else
    all of them: organisers may write a FAQ or a timeline in one language or several."""
    rows = list(rows)
    return (
        [row for row in rows if row.language == language]
        or [row for row in rows if row.language == fallback]
        or rows
    )


def picture_sources(picture, sizes: str) -> dict | None:
    """What an <img> and its <source> need for an organiser's image: `srcset` in WebP
    and in the fallback format, the smallest fallback as `src`, the intrinsic size."""
    if picture is None:
        return None
    renditions = sorted(picture.renditions.values_list("width", "format"))

    def srcset(fmt):
        return ", ".join(
            f"{reverse('campaigns:picture', args=[picture.sha256, width, f])} {width}w"
            for width, f in renditions
            if f == fmt
        )

    fallback = "png" if picture.alpha else "jpeg"
    smallest = next(width for width, fmt in renditions if fmt == fallback)
    return {
        "webp": srcset("webp"),
        "fallback": srcset(fallback),
        "fallback_type": f"image/{fallback}",
        "src": reverse("campaigns:picture", args=[picture.sha256, smallest, fallback]),
        "width": picture.width,
        "height": picture.height,
        "sizes": sizes,
    }


def appearance(campaign) -> tuple:
    """What a page or mail rendered for a campaign shows of it and of its organisation, as
    part of a cache key: every console change stamps the campaign's `changed_at`; the
    organisation's own fields are read as they are."""
    organisation = campaign.organisation
    return (campaign.pk, campaign.changed_at.isoformat(), organisation.name,
            organisation.logo_id, organisation.colour)  # fmt: skip
