"""Photos are checked by content and size; a bad file refuses the whole request and saves nothing."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inspections.models import Ticket, TicketEvent, TicketPhoto
from inspections.tickets import services
from inspections.tickets.photos import validate_photo

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def test_real_images_pass():
    for name, fmt in (("a.jpg", "JPEG"), ("b.png", "PNG"), ("c.webp", "WEBP")):
        validate_photo(jpeg(name, fmt=fmt))


def test_a_jpg_name_with_other_content_is_refused():
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>" * 20, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        validate_photo(fake)
    assert "photos" in exc.value.message_dict and "photo.jpg" in exc.value.message_dict["photos"][0]


def test_other_image_formats_are_refused():
    with pytest.raises(ValidationError):
        validate_photo(jpeg("x.gif", fmt="GIF"))


def test_oversize_is_refused(settings):
    settings.PHOTO_MAX_BYTES = 500
    with pytest.raises(ValidationError) as exc:
        validate_photo(jpeg(size=(400, 400)))
    assert "photos" in exc.value.message_dict


def test_report_with_one_bad_photo_saves_nothing(city):
    fake = SimpleUploadedFile("scene.jpg", b"\x00" * 1000, content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.ticket_report(
            actor=city.supervisor,
            category=city.category,
            description="x",
            source="patrol",
            site=city.site_a,
            photos=[jpeg(), fake],
        )
    assert Ticket.objects.count() == TicketEvent.objects.count() == TicketPhoto.objects.count() == 0


def test_submit_with_a_bad_photo_changes_nothing(city, advance):
    ticket = advance("rectifying")
    events = ticket.events.count()
    with pytest.raises(ValidationError):
        services.ticket_submit(
            actor=city.unit,
            ticket=ticket,
            note="x",
            photos=[jpeg(), SimpleUploadedFile("a.png", b"GIF89a....", content_type="image/png")],
        )
    ticket.refresh_from_db()
    assert ticket.status == "rectifying" and ticket.events.count() == events
    assert not ticket.photos.filter(kind="after").exists()


def test_orientation_is_fixed_and_thumbnail_is_small(city, report):
    image = Image.new("RGB", (800, 400), (10, 120, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    ticket = report(photos=[SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")])
    photo = ticket.photos.get()
    with Image.open(photo.image.path) as stored:
        assert stored.size == (400, 800) and stored.format == "JPEG"
        assert stored.getexif().get(0x0112) in (None, 1)
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 320 and thumb.size == (160, 320)
