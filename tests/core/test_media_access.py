"""Issue 9, finding 2: /media/ checked nothing but sign-in. Every file is now served through core.media, which
finds the row the file belongs to and asks that model's visibility selector; not visible or unknown → 404."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .files_world import PDF, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def fetch(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, **extra)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_unit_cannot_fetch_another_units_ticket_photo(client, world):
    photo = world.ticket_b.photos.get()
    for url in (photo.image.url, photo.thumbnail.url):
        assert url.startswith("/media/tickets/")
        assert fetch(client, world.unit, url).status_code == 404  # like the API: not 403, nothing revealed
        own = fetch(client, world.unit2, url)
        assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
        assert own["X-Content-Type-Options"] == "nosniff" and not own.get("Content-Disposition", "").startswith(
            "attachment"
        )
        assert body(own)[:3] == b"\xff\xd8\xff"
    for user in (world.office, world.leader):  # office and leaders see every ticket
        assert fetch(client, user, photo.image.url).status_code == 200


def test_asset_photos_follow_the_assets_visibility(client, world):
    url = world.asset_b.photos.get().image.url
    assert url.startswith("/media/publicity/") and url.endswith(".jpg")
    assert fetch(client, world.unit, url).status_code == 404
    assert fetch(client, world.unit2, url).status_code == 200
    assert fetch(client, world.office, url).status_code == 200


def test_an_unpublished_bulletin_pdf_is_the_offices_only(client, world):
    from reports.services import bulletin_publish

    bulletin = world.bulletin
    name = bulletin.pdf.name
    # Not guessable: the predictable name of the finding is not where the file lives.
    assert name.startswith("bulletins/2026/bulletin-daily-2026-001-r1-") and len(name) > len("bulletins/2026/") + 40
    predictable = "/media/bulletins/2026/bulletin-daily-2026-001-r1.pdf"
    for user in (world.unit, world.leader, world.supervisor):
        assert fetch(client, user, bulletin.pdf.url).status_code == 404
        assert fetch(client, user, predictable).status_code == 404
    office = fetch(client, world.office, bulletin.pdf.url)
    assert office.status_code == 200 and office["Content-Type"] == "application/pdf"
    assert office["Content-Disposition"].startswith("attachment")
    assert "bulletin-daily-2026-001-r1.pdf" in office["Content-Disposition"]  # the readable download name
    assert office["X-Content-Type-Options"] == "nosniff" and body(office) == PDF
    bulletin_publish(actor=world.office, bulletin=bulletin)
    assert fetch(client, world.unit, bulletin.pdf.url).status_code == 200
    # The API's PDF action still works (it reads the file, not the URL).
    assert fetch(client, world.unit, f"/api/v1/bulletins/{bulletin.pk}/pdf/").status_code == 200


def test_a_responsibility_letter_is_for_the_office_and_its_leader(client, world):
    url = world.assignment.responsibility_letter.url
    assert url.startswith("/media/responsibility-letters/") and url.endswith(".pdf") and "责任书" not in url
    for user in (world.leader2, world.unit, world.unit2, world.supervisor):
        assert fetch(client, user, url).status_code == 404
    for user in (world.leader, world.office):
        response = fetch(client, user, url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment") and body(response) == PDF


def test_micro_wish_photos_follow_the_wishes_visibility(client, world):
    url = world.wish.fulfilment_photo.url
    assert url.startswith("/media/micro-wishes/") and url.endswith(".jpg") and f"wish-{world.wish.pk}" not in url
    response = fetch(client, world.unit2, url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_unknown_paths_and_tricks_answer_404(client, world):
    stray = default_storage.save("tickets/2026/01/stray.jpg", ContentFile(b"\xff\xd8\xff" + b"0" * 20))
    for path in (
        f"/media/{stray}",
        "/media/nothing.jpg",
        "/media/tickets/../bulletins/x.pdf",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/",
        f"/media/{world.ticket_a.photos.get().image.name}x",
    ):
        assert fetch(client, world.office, path).status_code == 404, path


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(world.ticket_a.photos.get().image.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_api_token_opens_the_photo_urls_the_api_gives(client, world):
    from rest_framework.test import APIClient

    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "unit", "password": "demo-pass-2024"}, format="json")
    token = response.json()["token"]
    photo = world.ticket_a.photos.get()
    assert client.get(photo.image.url, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    assert client.get(world.ticket_b.photos.get().image.url, HTTP_AUTHORIZATION=f"Token {token}").status_code == 404


def test_old_uploads_are_still_served_but_never_as_html(client, world):
    """Rows stored before the pipeline keep their names (client extension, client bytes) and are served through
    the checked view: an image by its real type, anything else as a download."""
    from publicity.models import AssetPhoto

    old_html = default_storage.save("publicity/2025/01/x.html", ContentFile(b"<html><script>alert(1)</script></html>"))
    old_svg = default_storage.save(
        "publicity/2025/01/x.svg",
        ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    )
    old_png = default_storage.save("publicity/2025/01/y.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32))
    for name in (old_html, old_svg, old_png):
        AssetPhoto.objects.create(asset=world.asset_a, image=name)
    for name in (old_html, old_svg):
        response = fetch(client, world.unit, f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert fetch(client, world.unit, f"/media/{old_png}")["Content-Type"] == "image/png"
    assert fetch(client, world.unit2, f"/media/{old_html}").status_code == 404


def test_production_hands_the_bytes_to_nginx(client, world, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    photo = world.ticket_a.photos.get()
    response = fetch(client, world.unit, photo.image.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    letter = fetch(client, world.office, world.assignment.responsibility_letter.url)
    assert letter["X-Accel-Redirect"].startswith("/protected-media/responsibility-letters/")
    assert letter["Content-Disposition"].startswith("attachment")
    assert fetch(client, world.unit2, photo.image.url).status_code == 404  # still checked first


def test_pages_link_a_letter_only_for_those_who_may_open_it(client, world):
    url = world.assignment.responsibility_letter.url
    for user, linked in ((world.office, True), (world.leader, True), (world.leader2, False)):
        page = fetch(client, user, "/campaign/assignments/").content.decode()
        assert (url in page) is linked, user
        detail = fetch(client, user, f"/campaign/assignments/{world.assignment.pk}/").content.decode()
        assert (url in detail) is linked, user
