from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("Command structure")

    def ready(self):
        from . import visibility  # noqa: F401 - each model declares who may see it (core.registry)
