"""Charts drawn on the server as SVG: no script, no third party, readable as an image by
a screen reader (its title and description), and always shown beside a table of the
same figures, which is the accessible version."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from recours.console.figures import Series

WIDTH, HEIGHT = 640, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 56, 28, 12


def _ticks(top: int) -> list[int]:
    if top <= 0:
        return [0]
    step = 10 ** max(0, len(str(top)) - 1)
    while top / step > 5:
        step *= 2
    return list(range(0, top + step, step))


def chart(series: Series, *, kind: str = "bars", description: str = ""):
    """The series as bars (counts per hour, day or category) or a line (a running total)."""
    values = [point.drawn for point in series.points]
    ticks = _ticks(max(values, default=0))
    top = ticks[-1] or 1
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    count = max(1, len(values))
    slot = plot_width / count

    def y(value):
        return MARGIN_TOP + plot_height - value / top * plot_height

    title_id = f"chart-{series.key}-title"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(series.title)}</title>',
    ]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    for tick in ticks:
        parts.append(
            f'<line class="chart__grid" x1="{MARGIN_LEFT}" x2="{WIDTH - 8}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="chart__tick" x="{MARGIN_LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    if kind == "line" and values:
        path = " ".join(
            f"{'M' if index == 0 else 'L'}{MARGIN_LEFT + slot * (index + 0.5):.1f},{y(value):.1f}"
            for index, value in enumerate(values)
        )
        parts.append(f'<path class="chart__line" d="{path}"/>')
    else:
        for index, point in enumerate(series.points):
            if point.drawn <= 0:
                continue
            hidden = point.drawn != point.value
            parts.append(
                f'<rect class="chart__bar{" chart__bar--hidden" if hidden else ""}" '
                f'x="{MARGIN_LEFT + slot * index + slot * 0.1:.1f}" y="{y(point.drawn):.1f}" '
                f'width="{max(1.0, slot * 0.8):.1f}" '
                f'height="{MARGIN_TOP + plot_height - y(point.drawn):.1f}"/>'
            )
    # A few labels along the bottom: the first, the last and some between.
    every = max(1, count // 6)
    for index, point in enumerate(series.points):
        if index % every == 0 or index == count - 1:
            parts.append(
                f'<text class="chart__label" x="{MARGIN_LEFT + slot * (index + 0.5):.1f}" '
                f'y="{HEIGHT - 8}" text-anchor="middle">{escape(point.label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
