"""One domain error type, mapped once to HTTP answers (core.api.exceptions) and to page messages."""


class DomainError(Exception):
    """A rule of the domain refused the operation. `message` is translated and shown to the user."""

    status_code = 400

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """The object's state does not allow this operation (HTTP 409)."""

    status_code = 409


class NotPermitted(DomainError):
    """The user's role does not allow this operation on an object they can see (HTTP 403)."""

    status_code = 403


class NotInScope(DomainError):
    """The object is outside the user's scope: answered as if it did not exist (HTTP 404)."""

    status_code = 404
