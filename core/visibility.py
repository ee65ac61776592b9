"""Who may see core's own rows (core.registry): the security log is the campaign office's only.

Imported from CoreConfig.ready()."""

from core.registry import register

from .models import SecurityEvent


def office_only(scope, queryset, registry=None):
    """The office (and administrators, whose scope is the office's) read the security log; nobody else, and no
    wide read either: it is no figure of the campaign."""
    return queryset if scope.is_office and not scope.is_wide else queryset.none()


register(
    SecurityEvent,
    visible=office_only,
    filterset="core.filtersets.SecurityEventFilterSet",
    surfaces={"list": "core:security_log", "export": "core:security_log_export"},
)
