"""A unit liaison walks the look-back route on a phone, finds a damaged board and raises a ticket."""

import pytest
from PIL import Image

from inspections.models import Ticket
from publicity.models import Asset
from tests.conftest import ARTIFACTS, screenshot
from tests.publicity.builders import make_asset  # noqa: F401
from tests.volunteers.builders import add_volunteer, vcity  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_look_back_check_on_a_phone_raises_a_ticket(browser_login, live_server, vcity, make_asset):
    first = make_asset(site=vcity.site_a, kind="display_board", theme="讲文明 树新风")
    second = make_asset(site=vcity.site_a, kind="flag", theme="文明交通 你我同行", quantity=20)
    make_asset(site=vcity.site_b, theme="乙单位的广告")  # unit B's: never on unit A's route
    ARTIFACTS.mkdir(exist_ok=True)
    photo = ARTIFACTS / "torn-board.jpg"
    Image.new("RGB", (120, 90), (200, 30, 30)).save(photo, format="JPEG")

    page = browser_login("unit", phone=True)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/publicity/check/")
    assert first.code in page.locator(".asset-card").inner_text()
    assert "还剩 2 处" in page.content()
    page.locator("label.cond-choice", has_text="完好").click()
    page.click("button[value=record]")
    page.wait_for_load_state("networkidle")
    assert "已记录为完好" in page.locator(".messages").inner_text()
    assert second.code in page.locator(".asset-card").inner_text()

    page.locator("label.cond-choice", has_text="破损").click()
    page.fill("textarea[name=note]", "旗面撕裂三面")
    page.set_input_files("input[name=photos]", str(photo))
    screenshot(page, "publicity-check-phone-form")
    page.click("button[value=record]")
    page.wait_for_load_state("networkidle")
    message = page.locator(".messages").inner_text()
    assert "已向责任单位立案" in message
    assert "都已检查完毕" in page.content()
    screenshot(page, "publicity-check-phone-done")

    second.refresh_from_db()
    ticket = Ticket.objects.get()
    assert second.condition == "damaged" and second.open_ticket == ticket
    assert ticket.number in message and ticket.unit == vcity.unit_a and ticket.source == "publicity_check"
    assert ticket.photos.count() == 1 and "旗面撕裂三面" in ticket.description
    assert Asset.objects.get(pk=first.pk).condition == "good"

    page.goto(f"{live_server.url}/publicity/assets/{second.pk}/")
    assert ticket.number in page.content()
    screenshot(page, "publicity-asset-detail-phone")
    assert all(url.startswith(live_server.url) for url in requests)
