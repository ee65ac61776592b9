"""The readiness trend drawn as an SVG string (no JavaScript: the same markup in the page, the bulletin and the PDF)."""

from html import escape

from django.utils.translation import gettext as _

BAR_COLOUR = "#1d4ed8"
GRID_COLOUR = "#e5e7eb"
TEXT_COLOUR = "#374151"
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"


def _text(x, y, content, *, size=11, anchor="middle", weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{TEXT_COLOUR}" '
        f'font-weight="{weight}" font-family="{FONT}">{escape(str(content))}</text>'
    )


def trend_chart(points: list[dict], *, width: int = 640, height: int = 220, title: str | None = None) -> str:
    """Columns: the predicted score per kept week (`week`, `score`, `points`), the axis up to the points possible."""
    title = title if title is not None else _("Predicted score by week")
    left, right, top, bottom = 40, 10, 30, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([p["points"] for p in points] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        _text(left, 16, title, size=13, anchor="start", weight="bold"),
    ]
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>')
        parts.append(_text(left - 6, y + 4, f"{value:.0f}", size=10, anchor="end"))
    slot = plot_w / max(1, len(points))
    bar = min(28.0, slot * 0.6)
    for index, point in enumerate(points):
        x0 = left + slot * index + slot / 2
        h = plot_h * point["score"] / top_value
        y = top + plot_h - h
        label = point["week"].strftime("%m-%d")
        parts.append(
            f'<rect x="{x0 - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{BAR_COLOUR}">'
            f"<title>{escape(label)}: {point['score']:.1f} / {point['points']:.0f}</title></rect>"
        )
        parts.append(_text(x0, y - 3, f"{point['score']:.1f}", size=9))
        parts.append(_text(x0, height - 10, label, size=10))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{TEXT_COLOUR}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
