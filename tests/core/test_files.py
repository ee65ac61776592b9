"""core.files, the one upload pipeline (issue 9, findings 1 and 7): images by content, measured before decoding,
re-encoded without metadata; documents by content; all under random names."""

import io
import resource
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from core import files

from .files_world import PDF, docx_bytes, image_bytes, upload, xlsx_bytes


def bomb_png(side=12000) -> bytes:
    """The finding's file: a 1-bit PNG of side×side pixels, a few KB on disk, ~side² bytes once decoded."""
    return image_bytes("PNG", size=(side, side), mode="1", optimize=True)


def test_a_png_with_a_script_becomes_a_clean_jpeg_whatever_its_name():
    for name in ("x.html", "x.svg", "x.png"):
        image = files.prepare_image(upload(name, image_bytes("PNG") + b"<script>alert(document.cookie)</script>"))
        assert image.extension == "jpg" and image.content_type == "image/jpeg"
        assert b"<script" not in image.content and image.content[:3] == b"\xff\xd8\xff"
        assert Image.open(io.BytesIO(image.content)).format == "JPEG"


def test_phone_formats_are_taken():
    mpo = io.BytesIO()
    Image.new("RGB", (32, 24), (1, 2, 3)).save(
        mpo, format="MPO", save_all=True, append_images=[Image.new("RGB", (32, 24))]
    )
    assert Image.open(io.BytesIO(mpo.getvalue())).format == "MPO"  # what some phone cameras send as .jpg
    for raw in (
        mpo.getvalue(),
        image_bytes("WEBP"),
        image_bytes("PNG", mode="RGBA", color=(1, 2, 3, 4)),
        image_bytes("PNG", mode="P", color=3),
        image_bytes("PNG", mode="I;16", color=300),
        image_bytes("JPEG", mode="CMYK", color=(1, 2, 3, 4)),
        image_bytes("PNG", mode="LA", color=(1, 2)),
    ):
        assert files.prepare_image(upload("p.jpg", raw)).content[:3] == b"\xff\xd8\xff"


def test_orientation_is_applied_and_metadata_dropped():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: a portrait photo stored as landscape
    exif[0x010F] = "Phone maker"
    raw = image_bytes("JPEG", size=(80, 40), exif=exif.tobytes())
    image = files.prepare_image(upload("p.jpg", raw), thumbnail_side=20)
    with Image.open(io.BytesIO(image.content)) as result:
        assert result.size == (40, 80)
        assert not result.getexif() and "exif" not in result.info
    assert Image.open(io.BytesIO(image.thumbnail)).size == (10, 20)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"GIF89a" + b"\x00" * 50,
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        image_bytes("PNG")[:60],
        image_bytes("GIF"),
        image_bytes("BMP"),
        b"\xff\xd8\xff\xe0" + b"\x00" * 100,
    ],
)
def test_what_is_not_a_usable_photo_is_refused_on_the_field(content):
    with pytest.raises(ValidationError) as exc:
        files.prepare_image(upload("photo.jpg", content), field="photo")
    assert list(exc.value.message_dict) == ["photo"] and "photo.jpg" in exc.value.message_dict["photo"][0]


def test_a_truncated_photo_is_refused_even_after_weasyprint_was_imported():
    """WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported (the bulletins import it); a
    truncated upload must still be refused, not stored grey-filled. CI caught this: order-dependent."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it
    for cut in (60, 80, 100):  # inside the pixel data (a PNG cut after its pixels, before IEND, decodes whole)
        with pytest.raises(ValidationError):
            files.prepare_image(upload("photo.png", image_bytes("PNG")[:cut]), field="photo")
    assert files.prepare_image(upload("photo.png", image_bytes("PNG")), field="photo").content


def test_a_decompression_bomb_is_refused_from_its_header_quickly_and_cheaply():
    raw = bomb_png(12000)
    assert len(raw) < 40_000  # the finding: a tiny file announcing 144 megapixels (~900 MB decoded in RGB)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        files.prepare_image(upload("bomb.png", raw))
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert "像素过多" in exc.value.message_dict["photos"][0] and "40" in exc.value.message_dict["photos"][0]
    assert elapsed < 1.0 and peak < 5 * 1024 * 1024 and grown_mb < 20, (elapsed, peak, grown_mb)


def test_the_pixel_limit_is_a_setting_and_pillows_own_bomb_errors_are_translated(settings):
    settings.UPLOAD_MAX_PIXELS = 100
    with pytest.raises(ValidationError):
        files.prepare_image(upload("a.png", image_bytes("PNG", size=(11, 10))))
    files.prepare_image(upload("a.png", image_bytes("PNG", size=(10, 10))))
    settings.UPLOAD_MAX_PIXELS = 10**12  # beyond Pillow's own refusal (2 × 89 Mpx): still a clean 400
    with pytest.raises(ValidationError) as exc:
        files.prepare_image(upload("b.png", bomb_png(14000)))
    assert "photos" in exc.value.message_dict


def test_over_size_and_too_many_photos(settings):
    settings.PHOTO_MAX_BYTES = 500
    with pytest.raises(ValidationError):
        files.prepare_image(upload("big.jpg", image_bytes("JPEG", size=(300, 300))))
    settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError):
        files.prepare_images([upload() for _ in range(10)], max_count=9)
    with pytest.raises(ValidationError):
        files.prepare_images([], required=True)


def test_random_names():
    names = {files.random_name("jpg") for _ in range(100)}
    assert len(names) == 100 and all(len(n) == 36 and n.endswith(".jpg") for n in names)


# --- documents -------------------------------------------------------------------------------------------------


def doc(name, content):
    return SimpleUploadedFile(name, content)


def test_documents_are_recognised_by_content():
    assert files.check_document(doc("a.bin", PDF), field="f").extension == "pdf"
    assert files.check_document(doc("a.pdf", docx_bytes()), field="f").extension == "docx"
    assert files.check_document(doc("a.docx", xlsx_bytes()), field="f").extension == "xlsx"
    photo = files.check_document(doc("scan.png", image_bytes("PNG") + b"<script>"), field="f")
    assert photo.extension == "jpg" and b"<script" not in photo.content


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            docx_bytes()[0:0]
            + (
                b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
                b'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                b'wordprocessingml.document.main+xml"/></Types>'
            ),
        )
        archive.writestr("word/document.xml", b"\x00" * (60 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("a.pdf", b"%PDF-1.4\n<script>alert(1)</script>"),  # no end of file
        ("a.pdf", PDF + b"<html><script>alert(1)</script></html>"),  # junk after %%EOF
        ("a.pdf", b"%PDF-x" + PDF[6:]),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512),  # legacy .doc: not checkable safely
        ("a.docx", b"PK\x03\x04" + b"\x00" * 100),
        ("a.docx", docx_bytes(main_type="application/vnd.ms-word.document.macroEnabled.main+xml")),  # .docm
        ("a.docx", docx_bytes(part="word/missing.xml")[:-10]),
        ("a.docx", zip_bomb()),
        ("a.html", b"<html><script>alert(1)</script></html>"),
        ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("a.pdf", b""),
    ],
)
def test_documents_that_are_not_what_they_claim_are_refused(name, content):
    with pytest.raises(ValidationError) as exc:
        files.check_document(doc(name, content), field="responsibility_letter", kinds=(files.PDF, files.DOCX))
    assert list(exc.value.message_dict) == ["responsibility_letter"]


def test_only_the_allowed_kinds(settings):
    with pytest.raises(ValidationError):
        files.check_document(doc("a.xlsx", xlsx_bytes()), field="f", kinds=(files.PDF, files.DOCX))
    with pytest.raises(ValidationError):
        files.check_document(doc("a.png", image_bytes("PNG")), field="f", kinds=(files.PDF,))
    with pytest.raises(ValidationError):
        files.check_document(doc("a.pdf", PDF), field="f", max_bytes=10)


def test_a_workbook_to_import_is_read_once_before_the_import():
    files.check_workbook(doc("a.xlsx", xlsx_bytes()))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<worksheet><sheetData><row><c r=" if item.filename.endswith("sheet1.xml") else data)
    with pytest.raises(ValidationError) as exc:
        files.check_workbook(doc("a.xlsx", broken.getvalue()))
    assert "file" in exc.value.message_dict
