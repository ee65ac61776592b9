"""Formatting of bulletin figures for pages and PDFs: rates, changes, dates, media paths."""

from datetime import date

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()
DASH = "—"


@register.filter
def pct(value):
    """0.1234 → 12.3% (None → —)."""
    if value is None or value == "":
        return DASH
    return f"{float(value) * 100:.1f}%"


@register.filter
def signed(value):
    """A count difference: +3, -2, 0 (None → —)."""
    if value is None:
        return DASH
    if isinstance(value, float) and not value.is_integer():
        return f"{value:+.1f}"
    return f"{int(value):+d}" if value else "0"


@register.filter
def points(value):
    """A change of a rate in percentage points: 0.012 → +1.2 pp."""
    if value is None:
        return DASH
    return _("%(value)s pp") % {"value": f"{float(value) * 100:+.1f}"}


@register.filter
def days(value):
    if value is None:
        return DASH
    return _("%(days)s days") % {"days": value}


@register.filter
def cn_date(value):
    """An ISO date (or a date) in the document's convention: 2026年11月22日 / 2026-11-22."""
    if not value:
        return DASH
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return _("%(year)d-%(month)02d-%(day)02d") % {"year": value.year, "month": value.month, "day": value.day}


@register.filter
def short_date(value):
    """An ISO date as month and day: 11月22日 / 11-22."""
    if not value:
        return DASH
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return _("%(month)02d-%(day)02d") % {"month": value.month, "day": value.day}


@register.filter
def media(name):
    return f"{settings.MEDIA_URL}{name}" if name else ""


@register.filter
def get(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


CHINESE_NUMERALS = "一二三四五六七八九十"


@register.simple_tag(takes_context=True)
def section_number(context):
    """Numbers the sections of a document in order: 一、二、三 … (Chinese) or 1. 2. 3. (English)."""
    from django.utils.translation import get_language

    # On the outermost context, so a section in an included template (the readiness section) goes on counting.
    state = context.dicts[0]
    state["section_number"] = state.get("section_number", 0) + 1
    n = state["section_number"]
    if (get_language() or "").startswith("zh"):
        if n <= 10:
            numeral = CHINESE_NUMERALS[n - 1]
        else:
            numeral = "十" + CHINESE_NUMERALS[n - 11] if n < 20 else str(n)
        return f"{numeral}、"
    return f"{n}. "
