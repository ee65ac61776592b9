"""Reads of core's own models that more than one place uses."""

from .models import SecurityEvent
from .registry import visible_to


def security_events_visible_to(user):
    """The security log is the campaign office's (and the administrators') only (core/visibility.py)."""
    return visible_to(SecurityEvent, user).select_related("user").order_by("-created_at", "-id")
