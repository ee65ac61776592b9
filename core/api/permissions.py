"""The API's permission classes, one place per rule, reading the one scope (core.scope.scope_of).

They only answer early (a 403 before the body is parsed); the services enforce the same rules themselves, so a
write refused here would be refused there too.

- `OfficeWritesOnly`: everyone signed in reads; only the campaign office writes (leaders and read-only scopes never).
- `OfficeWritesInScope`: the same, but a change of an existing row is decided once the row is found among the
  visible ones, so a row out of the user's scope answers 404 (not 403), like a read.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from core.scope import scope_of


def office_writes(user) -> bool:
    scope = scope_of(user)
    return scope.is_office and not scope.read_only


class OfficeWritesOnly(permissions.BasePermission):
    message = _("Only the campaign office may change this.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or office_writes(request.user)


class OfficeWritesInScope(permissions.BasePermission):
    message = _("Only the campaign office may change this.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "action", None) != "create":
            return True  # a change is decided per row, once it is found in the user's scope
        return office_writes(request.user)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or office_writes(request.user)
