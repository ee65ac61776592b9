"""Every refusal of the API is mapped here, once, to the bodies the OpenAPI schema documents (core/api/schema.py):
400 `{"field": ["message", …]}` (or `{"detail": "…"}` for the input as a whole), any other status
`{"detail": "…"}`. Messages are translated into the request's language."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError


def exception_handler(exc, context):
    """Map the domain error and Django's ValidationError to answers; the rest is DRF's."""
    if isinstance(exc, DomainError):
        if exc.field and exc.status_code == status.HTTP_400_BAD_REQUEST:
            return Response({exc.field: [str(exc.message)]}, status=exc.status_code)
        return Response({"detail": str(exc.message)}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
        else:
            data = {"detail": [str(m) for m in exc.messages]}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404) and str(exc).endswith("matches the given query."):
        # get_object_or_404's English "No Site matches the given query.": DRF's translated "Not found." instead.
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
