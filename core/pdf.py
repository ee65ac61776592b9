"""Template → WeasyPrint → bytes. Images and styles are read from disk (media, static), never the network."""
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

PDF_FONT_FAMILY = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'


def _local_url_fetcher(url, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    parsed = urlparse(url)
    path = unquote(parsed.path)
    if parsed.scheme in ("", "http", "https", "file"):
        if path.startswith(settings.MEDIA_URL):
            return default_url_fetcher((Path(settings.MEDIA_ROOT) / path[len(settings.MEDIA_URL):]).as_uri())
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path[len(settings.STATIC_URL):])
            if found:
                return default_url_fetcher(Path(found).as_uri())
        if parsed.scheme in ("http", "https"):
            raise ValueError(f"Refusing to fetch {url}: PDFs are rendered offline")
    return default_url_fetcher(url, *args, **kwargs)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF. Templates may use {{ PDF_FONT_FAMILY }} and /media/ or /static/ URLs
    (data: URIs work too)."""
    from weasyprint import HTML

    html = render_to_string(template_name, {"PDF_FONT_FAMILY": PDF_FONT_FAMILY, **context})
    return HTML(string=html, base_url="file:///", url_fetcher=_local_url_fetcher).write_pdf()
