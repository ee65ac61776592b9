"""Template → WeasyPrint → bytes. Images and styles are read from disk (media, static), never the network."""

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PDF_FONT_FAMILY = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'

# WeasyPrint reports every layout step at INFO; workers' logs only need its warnings.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def _inside(root: Path, relative: str) -> Path:
    """The file under `root`, refusing paths that climb out of it (../)."""
    root = Path(root).resolve()
    target = (root / relative).resolve()
    if root != target and root not in target.parents:
        raise ValueError(f"Refusing to read {relative}: outside {root}")
    return target


def _local_url_fetcher():
    from weasyprint.urls import URLFetcher

    class LocalURLFetcher(URLFetcher):
        """/media/… and /static/… come from disk; any other http(s) URL is refused (offline networks)."""

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = unquote(parsed.path)
            if parsed.scheme in ("", "http", "https", "file"):
                if path.startswith(settings.MEDIA_URL):
                    local = _inside(settings.MEDIA_ROOT, path[len(settings.MEDIA_URL) :])
                    return super().fetch(local.as_uri(), headers)
                if path.startswith(settings.STATIC_URL):
                    found = finders.find(path[len(settings.STATIC_URL) :])
                    if found:
                        return super().fetch(Path(found).as_uri(), headers)
                if parsed.scheme in ("http", "https"):
                    raise ValueError(f"Refusing to fetch {url}: PDFs are rendered offline")
            return super().fetch(url, headers)

    return LocalURLFetcher(allowed_protocols=("file", "data"))


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF. Templates may use {{ PDF_FONT_FAMILY }} and /media/ or /static/ URLs
    (data: URIs work too)."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"PDF_FONT_FAMILY": PDF_FONT_FAMILY, **context})
    return HTML(string=html, base_url="file:///", url_fetcher=_local_url_fetcher()).write_pdf()
