"""Ticket photos through the one upload pipeline (core.files): checked by content (not by name), measured before
decoding, turned upright, re-encoded as JPEG with a small thumbnail, stored under random names.

`validate_photos` prepares (decodes and re-encodes) every photo of a request before anything is written, so a bad
file leaves nothing behind; `save_ticket_photos` only writes what was prepared."""

from django.core.exceptions import ValidationError  # noqa: F401 - re-exported for callers that catch it here

from core.files import PreparedImage, prepare_image, prepare_images, random_name
from inspections.models import TicketPhoto

MAX_PHOTOS_PER_REQUEST = 9
THUMB_SIDE = 320


def validate_photo(file) -> PreparedImage:
    """One photo checked and re-encoded (ValidationError({"photos": …}) when it is not a usable photo)."""
    return prepare_image(file, field="photos", thumbnail_side=THUMB_SIDE)


def validate_photos(files, *, required: bool = False, message: str | None = None) -> list[PreparedImage]:
    """Check and re-encode every photo of a request; returns the prepared photos (nothing is stored yet)."""
    return prepare_images(
        files,
        field="photos",
        required=required,
        message=message,
        max_count=MAX_PHOTOS_PER_REQUEST,
        thumbnail_side=THUMB_SIDE,
    )


def save_ticket_photos(*, ticket, files, kind: str, user, event=None) -> list[TicketPhoto]:
    """Store prepared photos (raw uploads are prepared first, all before the first is written)."""
    prepared = validate_photos(files)
    photos = []
    for image in prepared:
        name = random_name(image.extension)
        photo = TicketPhoto(ticket=ticket, event=event, kind=kind, uploaded_by=user)
        photo.image.save(name, image.content_file(), save=False)
        if image.thumbnail:
            photo.thumbnail.save(name, _thumb_file(image), save=False)
        photo.save()
        photos.append(photo)
    return photos


def _thumb_file(image: PreparedImage):
    from django.core.files.base import ContentFile

    return ContentFile(image.thumbnail)
