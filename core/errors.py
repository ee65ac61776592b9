"""Error answers (issue 9, safe defaults): translated pages for people, JSON for the API. With DEBUG off (the
default) nothing technical reaches the client; the 500 page is plain HTML that needs no database or context."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("The request could not be understood.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Your role does not allow this page or action.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Something went wrong on our side. Please try again later.")}, status=500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """Django's own CSRF page is English with inline style (refused by the CSP): the translated 403 page instead."""
    message = _("This form has expired or was sent from another page. Reload the page and try again.")
    if _is_api(request):
        return JsonResponse({"detail": message}, status=403)
    from django.shortcuts import render

    return render(request, "403.html", {"message": message}, status=403)
