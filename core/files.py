"""Every uploaded file goes through here before anything is written (issue 9: stored script, decompression bomb).

- Images (JPEG, PNG, WebP, recognised by content, never by name) are measured from their header and refused above
  `settings.UPLOAD_MAX_PIXELS` *before* any pixel is decoded, then decoded, turned upright (EXIF orientation),
  stripped of metadata and re-encoded as JPEG. Only the re-encoded bytes are kept, under a random name.
- Documents are recognised by content: PDF (magic, header and end-of-file marker), Word .docx and Excel .xlsx (a
  real zip, no zip bomb, whose [Content_Types].xml declares the right main part, which must be present); an image
  given as a document is re-encoded like a photo. Legacy .doc (OLE2) is refused: checking such a file safely needs
  a full OLE parser, and every office suite saves .docx or PDF.
- Spreadsheets that are only read (imports) get the same zip checks and are parsed once here, so the import never
  meets a file openpyxl cannot read.

Every check raises Django's ValidationError({field: translated message}) (a 400 in pages and API). Callers prepare
all files of a request first and write them afterwards, so one bad file of three stores nothing."""

import uuid
import warnings
import zipfile
from dataclasses import dataclass
from io import BytesIO
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps

IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 2560  # phones send 4000 px and more; 2560 keeps detail and saves disk
JPEG_QUALITY = 85

PDF = "pdf"
DOCX = "docx"
XLSX = "xlsx"
IMAGE = "image"
DOCUMENT_KINDS = (PDF, DOCX, XLSX, IMAGE)

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The main part's content type in [Content_Types].xml, and where the part usually lives.
_OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_ZIP_MAX_MEMBERS = 2000
_ZIP_MAX_RATIO = 200  # deflate rarely beats 100:1 on real office XML; zip bombs reach 1000:1 and more
_CONTENT_TYPES_MAX_BYTES = 256 * 1024


def max_pixels() -> int:
    return int(getattr(settings, "UPLOAD_MAX_PIXELS", 40_000_000))


def max_image_bytes() -> int:
    return int(getattr(settings, "PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def max_document_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024))


def max_unzipped_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024))


def random_name(extension: str, *, prefix: str = "") -> str:
    """An unguessable file name: 128 random bits, with the extension of the detected type."""
    return f"{prefix}{uuid.uuid4().hex}.{extension}"


def display_name(file, default: str | None = None) -> str:
    name = (getattr(file, "name", None) or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:80] or default or _("file")


@dataclass(frozen=True)
class PreparedImage:
    """A photo decoded and re-encoded: the only bytes that will be stored."""

    content: bytes
    thumbnail: bytes | None
    original_name: str
    extension: str = "jpg"
    content_type: str = "image/jpeg"

    def content_file(self) -> ContentFile:
        return ContentFile(self.content)


@dataclass(frozen=True)
class CheckedDocument:
    """A document whose type was recognised by content; `extension` is the detected one."""

    content: bytes
    extension: str
    content_type: str
    original_name: str

    def content_file(self) -> ContentFile:
        return ContentFile(self.content)


# --- helpers ------------------------------------------------------------------------------------------------


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
    return int(size)


def _read_all(file, limit: int) -> bytes:
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    return data


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


# --- images -------------------------------------------------------------------------------------------------


def _not_an_image(field, name):
    return _error(field, _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name})


def _too_many_pixels(field, name):
    return _error(
        field,
        _("“%(name)s” has too many pixels: photos may have at most %(megapixels)d megapixels.")
        % {"name": name, "megapixels": max_pixels() // 1_000_000},
    )


def prepare_image(
    file, *, field: str = "photos", thumbnail_side: int | None = None, max_bytes: int | None = None
) -> PreparedImage:
    """Check, decode and re-encode one uploaded image; raises ValidationError({field: …})."""
    name = display_name(file, _("photo"))
    limit = max_bytes or max_image_bytes()
    size = _size(file)
    if size == 0:
        raise _error(field, _("“%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise _error(
            field,
            _("“%(name)s” is too large: photos may be at most %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)},
        )
    data = _read_all(file, limit)
    return _encode_image(data, field=field, name=name, thumbnail_side=thumbnail_side)


def _encode_image(data: bytes, *, field: str, name: str, thumbnail_side: int | None) -> PreparedImage:
    with warnings.catch_warnings():
        # Pillow warns above its own limit (89 Mpx) and refuses above twice that: both are bombs to us.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=IMAGE_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(field, name) from None
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for a file that is not an image
            raise _not_an_image(field, name) from None
        # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import (it tolerates broken images in
        # documents); a truncated upload must fail here, whatever was imported before. Our PDFs only embed images
        # this function re-encoded, so strict decoding costs WeasyPrint nothing.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        with image:
            width, height = image.size
            # The header's size, before decoding: a 17 KB PNG may announce 144 megapixels (~900 MB decoded).
            if width <= 0 or height <= 0 or width * height > max_pixels():
                raise _too_many_pixels(field, name)
            # MPO is a JPEG with extra frames (some phone cameras): Pillow's JPEG opener names it so.
            if image.format not in (*IMAGE_FORMATS, "MPO"):
                raise _not_an_image(field, name)
            try:
                if image.format == "JPEG":
                    image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at a reduced scale: less memory, faster
                image.load()
                # Shrink first, then turn: the turn copies the image, better a small one (EXIF stays readable).
                # A cheap box reduction first, dropping the full-size pixels before resampling (Pillow keeps 4 bytes
                # a pixel: a 40 Mpx photo then peaks at ~190 MB instead of ~240 MB).
                factor = max(image.size) // MAX_SIDE
                if factor >= 2:
                    reduced = image.reduce(factor)
                    image.close()  # frees the full-size pixels now (the with block still holds the original)
                    image = reduced
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                image = ImageOps.exif_transpose(image)
                image = _to_rgb(image)
                full = _jpeg(image)
                thumb = None
                if thumbnail_side:
                    image.thumbnail((thumbnail_side, thumbnail_side))
                    thumb = _jpeg(image, quality=75)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise _too_many_pixels(field, name) from None
            except Exception:  # noqa: BLE001 - truncated or corrupt data fails while decoding
                raise _not_an_image(field, name) from None
    return PreparedImage(content=full, thumbnail=thumb, original_name=name)


def _to_rgb(image):
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        image = image.convert("L")
    return image.convert("RGB") if image.mode != "RGB" else image


def _jpeg(image, quality: int = JPEG_QUALITY) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)  # no exif=…: metadata is not carried over
    return buffer.getvalue()


def prepare_images(
    files,
    *,
    field: str = "photos",
    required: bool = False,
    message: str | None = None,
    max_count: int = 9,
    thumbnail_side: int | None = None,
) -> list[PreparedImage]:
    """Every image of a request, all prepared before any is stored (a bad one refuses the request)."""
    prepared_already = [f for f in (files or ()) if isinstance(f, PreparedImage)]
    files = [f for f in (files or ()) if f and not isinstance(f, PreparedImage)]
    if required and not files and not prepared_already:
        raise _error(field, message or _("Add at least one photo."))
    if len(files) + len(prepared_already) > max_count:
        raise _error(field, _("At most %(count)d photos at a time.") % {"count": max_count})
    return prepared_already + [prepare_image(f, field=field, thumbnail_side=thumbnail_side) for f in files]


# --- documents ----------------------------------------------------------------------------------------------


def _kinds_text(kinds) -> str:
    labels = {PDF: "PDF", DOCX: _("Word (.docx)"), XLSX: _("Excel (.xlsx)"), IMAGE: _("JPEG, PNG or WebP image")}
    return " / ".join(str(labels[k]) for k in kinds)


def check_document(file, *, field: str, kinds=DOCUMENT_KINDS, max_bytes: int | None = None) -> CheckedDocument:
    """Recognise a document by its content; refuse everything that is not one of `kinds`."""
    name = display_name(file, _("document"))
    limit = max_bytes or max_document_bytes()
    size = _size(file)
    if size == 0:
        raise _error(field, _("“%(name)s” is empty.") % {"name": name})
    if size > limit:
        raise _error(
            field,
            _("“%(name)s” is too large: documents may be at most %(limit)s.")
            % {"name": name, "limit": filesizeformat(limit)},
        )
    data = _read_all(file, limit)
    wrong = _error(
        field, _("“%(name)s” is not a %(kinds)s file, or it is damaged.") % {"name": name, "kinds": _kinds_text(kinds)}
    )
    if data.startswith(b"%PDF-"):
        if PDF not in kinds or not _looks_like_pdf(data):
            raise wrong
        return CheckedDocument(content=data, extension=PDF, content_type=CONTENT_TYPES[PDF], original_name=name)
    if data.startswith(b"PK\x03\x04"):
        kind = _office_kind(data)
        if kind is None or kind not in kinds:
            raise wrong
        return CheckedDocument(content=data, extension=kind, content_type=CONTENT_TYPES[kind], original_name=name)
    if IMAGE in kinds and _image_magic(data):
        image = _encode_image(data, field=field, name=name, thumbnail_side=None)
        return CheckedDocument(content=image.content, extension="jpg", content_type="image/jpeg", original_name=name)
    raise wrong


def _image_magic(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _looks_like_pdf(data: bytes) -> bool:
    """A PDF starts with %PDF-1.x or %PDF-2.0 and ends with %%EOF (only whitespace after it, within the last
    kilobyte) after a startxref; without a PDF library this is the structure we can check cheaply."""
    if data[5:6] not in (b"1", b"2") or data[6:7] != b".":
        return False
    tail = data[-1024:]
    position = tail.rfind(b"%%EOF")
    return position >= 0 and not tail[position + 5 :].strip(b" \t\r\n\x0c\x00") and b"startxref" in data[-2048:]


def _office_kind(data: bytes) -> str | None:
    """'docx' or 'xlsx' for a sound Office Open XML package, None for anything else (zip bombs included)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
            if not members or len(members) > _ZIP_MAX_MEMBERS:
                return None
            total = 0
            for member in members:
                total += member.file_size
                if member.file_size > 1024 * 1024 and member.file_size > _ZIP_MAX_RATIO * max(member.compress_size, 1):
                    return None
                if member.flag_bits & 0x1:  # encrypted
                    return None
            if total > max_unzipped_bytes():
                return None
            names = {member.filename for member in members}
            info = archive.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            if info is None or info.file_size > _CONTENT_TYPES_MAX_BYTES:
                return None
            raw = archive.read(info)
            if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:  # no entity tricks in a file we parse
                return None
            root = ElementTree.fromstring(raw)
            for element in root:
                if not element.tag.endswith("}Override"):
                    continue
                content_type = element.get("ContentType", "")
                part = element.get("PartName", "").lstrip("/")
                for kind, main in _OOXML_MAIN.items():
                    if content_type == main and part in names:
                        # Read the main part once: a damaged deflate stream or a wrong CRC fails here.
                        archive.read(part)
                        return kind
    except Exception:  # noqa: BLE001 - zipfile, zlib and expat raise many kinds for a damaged package
        return None
    return None


# --- spreadsheets that are read, not stored (imports) ---------------------------------------------------------


def check_workbook(file, *, field: str = "file", max_bytes: int | None = None) -> None:
    """An .xlsx to import: the document checks, then one full read with openpyxl (rows are only counted), so
    that the import itself cannot meet a file it fails on. Raises ValidationError({field: …})."""
    from openpyxl import load_workbook

    check_document(file, field=field, kinds=(XLSX,), max_bytes=max_bytes)
    try:
        file.seek(0)
        workbook = load_workbook(file, read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets[:1]:
                for _row in sheet.iter_rows(values_only=True):
                    pass
        finally:
            workbook.close()
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad sheet
        raise _error(
            field, _("“%(name)s” is not an Excel workbook (.xlsx), or it is damaged.") % {"name": display_name(file)}
        ) from None
    finally:
        file.seek(0)


def workbook_form_field(file):
    """check_workbook for a form's clean_<field>(): the same message as the field's own error."""
    try:
        check_workbook(file, field="file")
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["file"]) from None
    return file
