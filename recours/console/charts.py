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
    """The series as bars (counts per hour or day), horizontal bars (categories, whose
    names need room) or a line with its points (a running total)."""
    if kind == "hbars":
        return _horizontal(series, description)
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
        for index, value in enumerate(values):
            parts.append(
                f'<circle class="chart__dot" cx="{MARGIN_LEFT + slot * (index + 0.5):.1f}" '
                f'cy="{y(value):.1f}" r="3"/>'
            )
    else:
        for index, point in enumerate(series.points):
            if point.drawn <= 0:
                continue
            width = min(40.0, max(1.0, slot * 0.8))  # a lone day is not a wall
            parts.append(
                f'<rect class="chart__bar{_hidden_class(point)}" '
                f'x="{MARGIN_LEFT + slot * (index + 0.5) - width / 2:.1f}" '
                f'y="{y(point.drawn):.1f}" width="{width:.1f}" '
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


def _hidden_class(point) -> str:
    return " chart__bar--hidden" if point.drawn != point.value else ""


ROW, LABEL_WIDTH = 26, 190


def _horizontal(series: Series, description: str):
    values = [point.drawn for point in series.points]
    ticks = _ticks(max(values, default=0))
    top = ticks[-1] or 1
    height = ROW * len(values) + MARGIN_BOTTOM + MARGIN_TOP
    plot_width = WIDTH - LABEL_WIDTH - 16

    def x(value):
        return LABEL_WIDTH + value / top * plot_width

    title_id = f"chart-{series.key}-title"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(series.title)}</title>',
    ]
    if description:
        parts.append(f"<desc>{escape(description)}</desc>")
    bottom = MARGIN_TOP + ROW * len(values)
    for tick in ticks:
        parts.append(
            f'<line class="chart__grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" '
            f'y1="{MARGIN_TOP}" y2="{bottom}"/>'
            f'<text class="chart__tick" x="{x(tick):.1f}" y="{bottom + 16}" '
            f'text-anchor="middle">{tick}</text>'
        )
    for index, point in enumerate(series.points):
        top_y = MARGIN_TOP + ROW * index
        parts.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{top_y + ROW * 0.65:.1f}" '
            f'text-anchor="end">{escape(point.label)}</text>'
        )
        if point.drawn > 0:
            parts.append(
                f'<rect class="chart__bar{_hidden_class(point)}" x="{LABEL_WIDTH}" '
                f'y="{top_y + 4}" width="{x(point.drawn) - LABEL_WIDTH:.1f}" height="{ROW - 8}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
