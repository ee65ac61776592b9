from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("Publicity")

    def ready(self):
        from inspections.signals import ticket_closed

        from . import visibility  # noqa: F401  (each model declares who may see it, once)
        from .services import on_ticket_closed

        ticket_closed.connect(on_ticket_closed, dispatch_uid="publicity_asset_good_again")
