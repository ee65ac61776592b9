from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Sites, patrols and tickets")

    def ready(self):
        from . import visibility  # noqa: F401  (each model declares who may see it, once)
