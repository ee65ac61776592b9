"""Charts drawn by the app itself as SVG strings (no JavaScript, no CDN): the same markup is embedded in the
dashboard page and in the bulletin PDF (WeasyPrint draws SVG)."""

from html import escape

from django.utils.translation import gettext as _

FOUND_COLOUR = "#c8161d"
CLOSED_COLOUR = "#15803d"
GRID_COLOUR = "#e5e7eb"
TEXT_COLOUR = "#374151"
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"


def _nice_max(value: int) -> int:
    """A round upper bound for the axis (1, 2, 5 × 10^n)."""
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _text(x, y, content, *, size=11, anchor="middle", colour=TEXT_COLOUR, weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}" '
        f'font-weight="{weight}" font-family="{FONT}">{escape(str(content))}</text>'
    )


def _legend(x, y):
    return "".join(
        [
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{FOUND_COLOUR}"/>',
            _text(x + 14, y, _("Found"), anchor="start"),
            f'<rect x="{x + 70}" y="{y - 9}" width="10" height="10" fill="{CLOSED_COLOUR}"/>',
            _text(x + 84, y, _("Closed"), anchor="start"),
        ]
    )


def trend_chart(points: list[dict], *, width: int = 640, height: int = 240, title: str | None = None) -> str:
    """Grouped columns: problems found and closed per period (`label`, `found`, `closed`)."""
    title = title if title is not None else _("Problems found and closed")
    left, right, top, bottom = 40, 10, 34, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max([max(p["found"], p["closed"]) for p in points] + [0]))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        _text(left, 16, title, size=13, anchor="start", weight="bold"),
        _legend(width - right - 130, 16),
    ]
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>')
        parts.append(_text(left - 6, y + 4, f"{value:g}", size=10, anchor="end"))
    slot = plot_w / max(1, len(points))
    bar = min(22.0, slot * 0.34)
    for index, point in enumerate(points):
        x0 = left + slot * index + slot / 2
        for offset, key, colour in ((-bar - 1, "found", FOUND_COLOUR), (1, "closed", CLOSED_COLOUR)):
            value = point[key]
            h = plot_h * value / top_value if top_value else 0
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x0 + offset:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{escape(str(point['label']))} {escape(_('Found') if key == 'found' else _('Closed'))}: "
                f"{value}</title></rect>"
            )
            if value:
                parts.append(_text(x0 + offset + bar / 2, y - 3, value, size=9))
        parts.append(_text(x0, height - 10, point["label"], size=10))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{TEXT_COLOUR}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def category_chart(rows: list[dict], *, width: int = 640, limit: int = 10, title: str | None = None) -> str:
    """Horizontal bars per category: found (red) with the closed part (green) drawn over it."""
    title = title if title is not None else _("Problems by category")
    rows = rows[:limit]
    label_w, right, top, row_h = 150, 50, 34, 24
    height = top + row_h * max(1, len(rows)) + 10
    plot_w = width - label_w - right
    top_value = max([r["found"] for r in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        _text(0, 16, title, size=13, anchor="start", weight="bold"),
        _legend(width - right - 90, 16),
    ]
    if not rows:
        parts.append(_text(width / 2, top + 14, _("No problems in this period."), size=11))
    for index, row in enumerate(rows):
        y = top + row_h * index
        found_w = plot_w * row["found"] / top_value
        closed_w = plot_w * row["closed"] / top_value
        name = row["name"] if len(row["name"]) <= 12 else row["name"][:11] + "…"
        parts.append(_text(label_w - 8, y + 15, name, size=11, anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{found_w:.1f}" height="14" fill="{FOUND_COLOUR}" opacity="0.85"/>'
        )
        parts.append(f'<rect x="{label_w}" y="{y + 8}" width="{closed_w:.1f}" height="6" fill="{CLOSED_COLOUR}"/>')
        parts.append(_text(label_w + found_w + 6, y + 15, f"{row['found']} / {row['closed']}", size=10, anchor="start"))
    parts.append("</svg>")
    return "".join(parts)
