from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Bulletins and dashboards")

    def ready(self):
        from . import visibility  # noqa: F401  (each model declares who may see it, once)
