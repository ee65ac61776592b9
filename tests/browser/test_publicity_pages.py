"""The publicity pages on a desktop and a phone, in Chinese and English: map markers, lists, figures; no request
leaves the server."""

import pytest

from tests.conftest import screenshot
from tests.publicity.builders import make_asset  # noqa: F401
from tests.volunteers.builders import add_volunteer, vcity  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_asset_pages_and_map(browser_login, live_server, vcity, make_asset):
    from publicity.services import asset_check_record

    for n in range(6):
        asset = make_asset(site=vcity.site_a if n % 2 else vcity.site_b, kind=["flag", "poster", "led_screen"][n % 3])
        if n in (1, 4):
            asset_check_record(actor=vcity.office, asset=asset, condition=["damaged", "faded"][n % 2])
    make_asset(lat=40.05, lng=113.25, address="和平路口", region=vcity.street_b, unit=vcity.unit_b)
    page = browser_login("office")
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/publicity/assets/map/")
    page.wait_for_selector(".leaflet-interactive")
    assert page.locator(".leaflet-interactive").count() == 7
    screenshot(page, "publicity-map-desktop")
    page.goto(f"{live_server.url}/publicity/assets/")
    assert page.locator("table tbody tr").count() == 7
    page.select_option("select[name=condition]", "damaged")
    page.wait_for_function("() => document.querySelectorAll('#list tbody tr').length === 1")
    screenshot(page, "publicity-assets-desktop")
    page.goto(f"{live_server.url}/publicity/figures/")
    assert "宣传统计" in page.content()
    screenshot(page, "publicity-figures-desktop")
    assert not errors and all(url.startswith(live_server.url) for url in requests)

    phone = browser_login("unit", phone=True)
    phone.goto(f"{live_server.url}/publicity/assets/")
    assert phone.locator("table tbody tr").count() == 3  # unit A's assets only
    screenshot(phone, "publicity-assets-phone")
    phone.select_option("select[name=language]", "en")
    phone.wait_for_load_state("networkidle")
    assert "Publicity assets" in phone.locator("h1").inner_text()
    screenshot(phone, "publicity-assets-phone-en")


def test_volunteer_pages(browser_login, live_server, vcity, add_volunteer):
    for n in range(5):
        add_volunteer(teams=[vcity.team_red] if n % 2 else [vcity.team_b], party=n == 0)
    page = browser_login("unit", phone=True)
    page.goto(f"{live_server.url}/volunteers/people/")
    text = page.locator("table").inner_text()
    assert "****" in text
    screenshot(page, "volunteers-list-phone")
    desktop = browser_login("office")
    desktop.goto(f"{live_server.url}/volunteers/people/")
    assert "****" not in desktop.locator("table").inner_text()
    screenshot(desktop, "volunteers-list-desktop")
    desktop.goto(f"{live_server.url}/volunteers/figures/")
    screenshot(desktop, "volunteers-figures-desktop")
    desktop.goto(f"{live_server.url}/volunteers/micro-wishes/")
    screenshot(desktop, "volunteers-wishes-desktop")
