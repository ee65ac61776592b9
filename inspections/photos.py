"""Ticket photos: checked by content (not by name), turned upright, re-encoded, with a small thumbnail.

Every photo of a request is validated before any is saved, so a bad file leaves nothing behind."""
import uuid
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .models import TicketPhoto

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PHOTOS_PER_REQUEST = 9
MAX_SIDE = 2560  # phones send 4000 px and more; 2560 keeps detail and saves disk
THUMB_SIDE = 320
JPEG_QUALITY = 85


def validate_photo(file) -> None:
    """Refuse anything that is not really a JPEG, PNG or WebP image, or that is too large."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > settings.PHOTO_MAX_BYTES:
        raise ValidationError({"photos": _("“%(name)s” is too large: photos may be at most %(limit)s.") % {
            "name": _name(file), "limit": filesizeformat(settings.PHOTO_MAX_BYTES)}})
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind = image.format
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a file that is not an image
        kind = None
    finally:
        file.seek(0)
    if kind not in ALLOWED_FORMATS:
        raise ValidationError({"photos": _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": _name(file)}})


def validate_photos(files, *, required: bool = False, message: str | None = None) -> list:
    """Validate every file of a request; returns them as a list."""
    files = [f for f in (files or ()) if f]
    if required and not files:
        raise ValidationError({"photos": message or _("Add at least one photo.")})
    if len(files) > MAX_PHOTOS_PER_REQUEST:
        raise ValidationError({"photos": _("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS_PER_REQUEST}})
    for file in files:
        validate_photo(file)
    return files


def save_ticket_photos(*, ticket, files, kind: str, user, event=None) -> list[TicketPhoto]:
    """Validate all, then store each photo upright and re-encoded as JPEG, with a ~320 px thumbnail."""
    files = validate_photos(files)
    encoded = [_encode(file) for file in files]  # everything is decoded before anything is written
    photos = []
    for full, thumb in encoded:
        stem = uuid.uuid4().hex
        photo = TicketPhoto(ticket=ticket, event=event, kind=kind, uploaded_by=user)
        photo.image.save(f"{stem}.jpg", ContentFile(full), save=False)
        photo.thumbnail.save(f"{stem}.jpg", ContentFile(thumb), save=False)
        photo.save()
        photos.append(photo)
    return photos


def _encode(file) -> tuple[bytes, bytes]:
    file.seek(0)
    try:
        with Image.open(file) as image:
            image = ImageOps.exif_transpose(image)
            image = _to_rgb(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            full = _jpeg(image)
            image.thumbnail((THUMB_SIDE, THUMB_SIDE))
            thumb = _jpeg(image, quality=75)
    except Exception:  # noqa: BLE001 - a truncated file passes verify() but fails to decode
        raise ValidationError({"photos": _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": _name(file)}})
    finally:
        file.seek(0)
    return full, thumb


def _to_rgb(image):
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _jpeg(image, quality=JPEG_QUALITY) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def _name(file) -> str:
    return getattr(file, "name", None) or _("photo")
