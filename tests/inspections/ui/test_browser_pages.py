"""The ticket pages as a user sees them, in Chromium: the map wall, the list with htmx filters, English."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inspections.models import Ticket
from tests.conftest import screenshot

from .world import build_world, dispatched, report, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(make_user):
    world = build_world(make_user)
    from inspections.sites.services import site_save

    world.site_c = site_save(
        actor=world.office,
        name="南关小学周边",
        code="SITE-C",
        site_type=world.site_type,
        region=world.street_a,
        unit=world.unit_a,
        lat=40.0800,
        lng=113.2950,
        is_key=True,
    )
    late = dispatched(world, site=world.site_b)
    Ticket.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - timedelta(days=3), escalation=Ticket.Escalation.YELLOW
    )
    world.late = late
    world.open = [
        report(world, site=world.site_a),
        report(world, site=world.site_a, description="共享单车乱停放"),
        submitted(world, site=world.site_a),
    ]
    return world


def test_map_wall(browser_login, live_server, city):
    page = browser_login("office")
    outside = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url))
    page.goto(f"{live_server.url}/inspections/map/")
    page.wait_for_selector("#map-wall[data-loaded=true]")
    page.wait_for_load_state("networkidle")

    def counts():
        return {
            name: page.locator(f'[data-count="{name}"]').inner_text()
            for name in ("green", "amber", "red", "tickets", "overdue")
        }

    # City-wide: the sites' colours, no ticket pins until zoomed in or filtered
    assert counts() == {"green": "1", "amber": "1", "red": "1", "tickets": "–", "overdue": "–"}, counts()
    assert page.locator("path.site-red").count() == 1 and page.locator("path.site-green").count() == 1
    assert page.locator(".ticket-pin").count() == 0 and page.locator(".map-zoom-hint").is_visible()
    page.select_option("select[name=category]", str(city.category.pk))
    page.wait_for_function("() => document.querySelector('[data-count=tickets]').textContent === '4'")
    assert counts()["overdue"] == "1" and page.locator(".ticket-pin").count() == 4
    page.select_option("select[name=category]", "")
    page.wait_for_function("() => document.querySelector('[data-count=tickets]').textContent === '–'")
    assert "MAP_TILES_URL" in page.locator(".tiles-note").inner_text()
    screenshot(page, "mapwall-desktop")
    # a filter reloads the tickets from the API
    page.check("input[name=overdue]")
    page.wait_for_function("() => document.querySelector('[data-count=tickets]').textContent === '1'")
    assert page.locator(".ticket-pin-overdue").count() == 1
    page.locator("path.site-red").click()
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert city.site_b.name in popup
    screenshot(page, "mapwall-overdue-popup")
    assert outside == [], outside

    phone = browser_login("supervisor", phone=True)
    phone.goto(f"{live_server.url}/inspections/map/")
    phone.wait_for_selector("#map-wall[data-loaded=true]")
    phone.wait_for_load_state("networkidle")
    # the supervisor's group covers district A only: two sites there, none in B
    assert phone.locator("path.site-marker").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "mapwall-phone")


def test_ticket_list_filters_with_htmx_and_bulk_dispatch(browser_login, live_server, city):
    page = browser_login("office")
    page.goto(f"{live_server.url}/inspections/tickets/")
    assert page.locator("table.ticket-table tbody tr").count() == 4
    assert page.locator(".badge-yellow").count() == 1
    screenshot(page, "ticket-list-desktop")
    with page.expect_response(lambda r: "/inspections/tickets/?" in r.url and r.request.headers.get("hx-request")):
        page.check("input[name=status][value=reported]")
    page.wait_for_function("() => document.querySelectorAll('table.ticket-table tbody tr').length === 2")
    assert "status=reported" in page.url  # the filters are in the address, for bookmarks and the export
    assert "status=reported" in page.locator("#export-link").get_attribute("href")
    page.check(".check-all")
    assert page.locator(".bulk-count").inner_text().endswith("2")
    page.select_option("select[name=target]", "site")
    page.click("#bulk-dispatch button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已派遣 2 个问题" in page.locator(".messages").inner_text()
    assert Ticket.objects.filter(status=Ticket.Status.DISPATCHED).count() == 3
    screenshot(page, "ticket-list-after-bulk-dispatch")

    phone = browser_login("leader", phone=True)
    phone.goto(f"{live_server.url}/inspections/tickets/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "ticket-list-phone")


def test_pages_in_english(browser_login, live_server, city):
    page = browser_login("office")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.goto(f"{live_server.url}/inspections/tickets/{city.late.pk}/")
    assert "What you can do" in page.content() and "Handling record" in page.content()
    assert "Yellow order" in page.content()
    screenshot(page, "ticket-detail-english")
    page.goto(f"{live_server.url}/inspections/map/")
    page.wait_for_selector("#map-wall[data-loaded=true]")
    assert "Legend" in page.content()
    screenshot(page, "mapwall-english")
    unit = browser_login("unit", phone=True)
    with unit.expect_navigation():
        unit.select_option("select[name=language]", "en")
    unit.goto(f"{live_server.url}/inspections/tickets/inbox/")
    assert "To sign for" in unit.content()
    screenshot(unit, "unit-inbox-english-phone")


def test_report_a_problem_from_a_phone(browser_login, live_server, city):
    from .world import jpeg_bytes

    page = browser_login("supervisor", phone=True)
    page.goto(f"{live_server.url}/inspections/tickets/new/?site={city.site_c.pk}")
    assert page.locator("#id_site").input_value() == str(city.site_c.pk)
    page.select_option("#id_category", str(city.other_category.pk))
    page.fill("#id_description", "校门口垃圾桶满溢未清运")
    page.set_input_files("#id_photos", [{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "ticket-create-phone")
    page.click(".report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    ticket = Ticket.objects.get(description="校门口垃圾桶满溢未清运")
    assert page.url.endswith(f"/inspections/tickets/{ticket.pk}/")
    assert ticket.site_id == city.site_c.pk and ticket.photos.count() == 1
    assert ticket.number in page.locator(".messages").inner_text()
    screenshot(page, "ticket-created-phone")
