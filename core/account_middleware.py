"""A user whose password is temporary (set by the office) may use nothing but the password change page."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Pages a user with a temporary password may still reach (besides the change page itself).
ALLOWED_URL_NAMES = ("core:password_change", "core:logout", "core:login", "set_language", "api_token")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password and not self._allowed(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _(
                            "Your password is temporary: change it on the web (“Change password”) before using the API."
                        )
                    },
                    status=403,
                )
            return redirect("core:password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        from django.conf import settings

        if path.startswith((settings.STATIC_URL or "/static/",)):
            return True
        return path in {reverse(name) for name in ALLOWED_URL_NAMES}
