"""Uploaded and generated files are served only through this view (URL name "media"), never by guessing a path.

The models' visibility declarations (core.registry, `media=(prefix, fields[, document[, filename]])`) say, for
each place under MEDIA_ROOT, which model's file field(s) store files there; the registry's rule for that model
decides who may see the owning object. The view finds the
row that stores the requested name among the rows the user may see; anything else (an unknown path, a file of an
object out of the user's scope, an unpublished bulletin for a non-office user) answers 404, not 403, like the API.

Images are sent inline with the type their bytes show (JPEG/PNG/WebP; anything else, e.g. an old upload stored
before the pipeline, goes out as an application/octet-stream attachment); documents always as attachments. Every
answer carries `X-Content-Type-Options: nosniff`. With `settings.MEDIA_ACCEL_REDIRECT` set (production), the
answer is empty and `X-Accel-Redirect` lets nginx send the bytes (docs/deploy-nginx.md)."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db.models import Model, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import files


@dataclass(frozen=True)
class ProtectedFiles:
    """Files under `prefix` belong to rows of `visible(user)`'s model, stored in one of `fields`."""

    prefix: str
    fields: tuple[str, ...]
    visible: Callable[..., QuerySet]  # user → the rows (of the model owning the field) the user may see
    document: bool = False  # documents are always downloaded (attachment); images are shown inline
    filename: Callable[[Model, str], str] | None = None  # (row, stored name) → the name a download gets

    def find(self, user, name: str):
        condition = Q()
        for field in self.fields:
            condition |= Q(**{field: name})
        return self.visible(user).filter(condition).first()


def protected_files() -> list[ProtectedFiles]:
    """One entry per model with files, from the models' visibility declarations (core.registry.media_entries):
    the rows whose files a user may open are exactly the rows the registry says they see."""
    from .registry import REGISTRY

    return [
        ProtectedFiles(prefix=prefix, fields=fields, visible=visible, document=document, filename=filename)
        for prefix, fields, visible, document, filename in REGISTRY.media_entries()
    ]


def find_owner(*, user, name: str):
    """(registry entry, row) when `name` is a file of a row the user may see; None otherwise."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or ".." in name.split("/"):
        return None
    for entry in protected_files():
        if name.startswith(entry.prefix):
            row = entry.find(user, name)
            if row is not None:
                return entry, row
    return None


_IMAGE_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def _sniff(head: bytes) -> str | None:
    for magic, content_type in _IMAGE_TYPES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _document_type(head: bytes, name: str) -> str:
    if head.startswith(b"%PDF-"):
        return files.CONTENT_TYPES[files.PDF]
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if head.startswith(b"PK\x03\x04") and extension in (files.DOCX, files.XLSX):
        return files.CONTENT_TYPES[extension]
    return _sniff(head) or "application/octet-stream"


def _authenticate(request):
    """Session first; an API client (Authorization header) is authenticated by the API's own schemes, so the
    photo URLs the API hands out work with the same token."""
    if request.user.is_authenticated or "HTTP_AUTHORIZATION" not in request.META:
        return request.user
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    drf_request = Request(request)
    for authentication_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        try:
            result = authentication_class().authenticate(drf_request)
        except APIException:
            return request.user
        if result is not None:
            return result[0]
    return request.user


@require_safe
def serve_media(request, path: str):
    user = _authenticate(request)
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = find_owner(user=user, name=path)
    if found is None:
        raise Http404(_("No such file."))
    entry, row = found
    try:
        local = default_storage.path(path)
        with open(local, "rb") as handle:
            head = handle.read(16)
    except (OSError, SuspiciousFileOperation, NotImplementedError):
        raise Http404(_("No such file.")) from None
    image_type = None if entry.document else _sniff(head)
    content_type = image_type or _document_type(head, path)
    attachment = image_type is None
    filename = entry.filename(row, path) if entry.filename else os.path.basename(path)
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(b"", content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(path)
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    else:
        response = FileResponse(
            open(local, "rb"), content_type=content_type, as_attachment=attachment, filename=filename
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"  # never in a shared cache: visibility is per user
    if attachment:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
