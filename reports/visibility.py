"""Who may see what in reports: bulletins declare their visibility once (core.registry), here.

Imported from ReportsConfig.ready(). The bulletins' own figures are city-wide reads (`core.registry.city_wide`),
never a made-up user.
"""

from django.utils.translation import gettext_lazy as _

from core.registry import published_or_office, register, through
from reports.models import Bulletin, BulletinEvent


def _bulletin_filename(bulletin, name: str) -> str:
    from reports.services import pdf_filename

    return pdf_filename(bulletin)


# The office sees every bulletin (drafts, failures); everybody else only the published ones.
register(
    Bulletin,
    visible=published_or_office,
    filterset="reports.filtersets.BulletinFilterSet",
    serializer="reports.api.serializers.BulletinSerializer",
    surfaces={
        "list": "reports:bulletin_list",
        "detail": "reports:bulletin_detail",
        "api_list": "bulletin-list",
        "api_detail": "bulletin-detail",
        "export": "reports:bulletin_export",
        "pdf": "reports:bulletin_pdf",
        "media": "pdf",
    },
    media=("bulletins/", ("pdf",), True, _bulletin_filename),
    not_found=_("Bulletin not found."),
)
register(BulletinEvent, visible=through("bulletin", Bulletin))
