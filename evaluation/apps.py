from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("National evaluation")

    def ready(self):
        from . import visibility  # noqa: F401  (each model declares who may see it, once)
