"""Reads of core's own models that more than one place uses."""

from .models import SecurityEvent


def security_events_visible_to(user):
    """The security log is the campaign office's (and the administrators') only; everyone else sees nothing."""
    if not (user.is_authenticated and user.is_office):
        return SecurityEvent.objects.none()
    return SecurityEvent.objects.select_related("user").order_by("-created_at", "-id")
