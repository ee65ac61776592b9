from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The four roles of CONTRACT.md. Who may do what is decided per model in each app's selectors."""

    OFFICE = "office", _("Campaign office staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    UNIT = "unit", _("Responsible-unit liaison")
    LEADER = "leader", _("Leader")
