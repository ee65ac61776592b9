"""The API's schema and docs pages (issue 9): behind sign-in when settings.API_DOCS_REQUIRE_LOGIN (production),
and working under the Content-Security-Policy: Swagger UI's start script is a separate request
(SpectacularSwaggerSplitView), and neither page has inline script, inline style or fonts from another host.
Redoc alone writes its styles as <style> elements (styled-components, with no way to hand it a nonce), so its page,
and only its page, allows inline style and blob: workers; its scripts stay 'self'. (Its "API docs by Redocly" logo
from cdn.redoc.ly stays blocked: nothing leaves the machine.)"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.permissions import BasePermission


class DocsAccess(BasePermission):
    """Read at every request, so the setting can change without reloading the URLs (tests, operators)."""

    def has_permission(self, request, view):
        return not settings.API_DOCS_REQUIRE_LOGIN or bool(request.user and request.user.is_authenticated)


class SchemaView(SpectacularAPIView):
    permission_classes = [DocsAccess]


class _SignInFirst:
    """A docs page for a visitor who is not signed in, when sign-in is required: the sign-in page, then back."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if settings.API_DOCS_REQUIRE_LOGIN and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)


class SwaggerView(_SignInFirst, SpectacularSwaggerSplitView):
    permission_classes = []
    template_name = "api_docs/swagger_ui.html"


class RedocView(_SignInFirst, SpectacularRedocView):
    permission_classes = []
    template_name = "api_docs/redoc.html"

    @classmethod
    def as_view(cls, **initkwargs):
        # Redoc runs its search in a web worker made from a blob: URL.
        policy = {"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}
        return csp_replace(policy)(super().as_view(**initkwargs))
