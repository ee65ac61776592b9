from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

# leaflet.admin imports GeoDjango, which needs GDAL; it is not on these machines and we do not need it.
ADMIN_AUTODISCOVER_EXCLUDE = {"leaflet"}


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib import admin

        from . import (
            signals,  # noqa: F401 - account signals (token revocation, security log)
            visibility,  # noqa: F401 - the security log's rule (core.registry)
        )

        for app_config in apps.get_app_configs():
            if app_config.name in ADMIN_AUTODISCOVER_EXCLUDE:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
        admin.site.site_header = _("Chuangwentong administration")
        admin.site.site_title = _("Chuangwentong")
        # /admin/ sign-in goes through the same lockout and security log as the sign-in page.
        from .forms import AdminLoginForm

        admin.site.login_form = AdminLoginForm
