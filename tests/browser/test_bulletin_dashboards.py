"""Dashboards and the archive as each role sees them, on a phone and a desktop, in Chinese and English."""

import pytest

from tests.conftest import screenshot
from tests.reports.conftest import city, leader_user, office, scenario, week  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(scenario, office, week):
    from reports import services

    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week, enqueue=False)
    services.bulletin_generate(bulletin_id=bulletin.pk)
    return services.bulletin_publish(actor=office, bulletin=bulletin)


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_leader_dashboard_on_a_phone(browser_login, live_server, published, leader_user):
    page = browser_login("leader", phone=True)
    assert page.url.endswith("/reports/")
    text = page.locator("main").inner_text()
    assert "本周我的包抓任务" in text and "西一路街道" in text and "差2次" in text  # this week: no visit yet
    assert published.title in text
    assert no_horizontal_overflow(page)
    screenshot(page, "bulletin-dashboard-leader-phone")


def test_office_in_english_on_a_phone(browser_login, live_server, published):
    page = browser_login("office", phone=True)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")  # the form submits itself, the page comes back
    page.wait_for_selector("html[lang=en]")
    text = page.locator("main").inner_text()
    assert "Overdue by unit" in text and "西一路街道办" in text
    assert no_horizontal_overflow(page)
    screenshot(page, "bulletin-dashboard-office-phone-en")
    page.goto(f"{live_server.url}/reports/bulletins/")
    assert "Generate a bulletin" in page.locator("main").inner_text()
    assert "Issue 1, " in page.locator("table.bulletin-table").inner_text()
    assert no_horizontal_overflow(page)
    screenshot(page, "bulletin-archive-office-phone-en")
    page.click("summary")
    page.select_option("select[name=kind]", "special")
    page.click("form.generate-form button[type=submit]")  # no title: refused, with the field's message
    assert "A special report needs a title." in page.locator("main").inner_text()
    assert no_horizontal_overflow(page)
    screenshot(page, "bulletin-generate-form-phone-en")


def test_unit_dashboard_on_desktop(browser_login, live_server, published, scenario, make_user):
    from core.roles import Role

    make_user("unit", Role.UNIT, unit=scenario.unit_b)
    page = browser_login("unit")
    text = page.locator("main").inner_text()
    assert "本单位问题" in text and published.title in text
    assert "上黑榜" in text  # 西一路街道办 is named on the black list of the published weekly bulletin
    screenshot(page, "bulletin-dashboard-unit-desktop")


def test_office_sees_a_failure_and_retries_it(browser_login, live_server, scenario, office, week):
    """Eager mode here: the retried job runs inside the request, so the page comes back ready."""
    from reports import services
    from reports.models import Bulletin

    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week, enqueue=False)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status="failed", attempts=3, failure_reason="OSError: [Errno 28] No space left on device"
    )
    page = browser_login("office")
    page.goto(f"{live_server.url}/reports/bulletins/")
    assert "失败" in page.locator("table.bulletin-table").inner_text()
    page.click(f"a[href='/reports/bulletins/{bulletin.pk}/'] >> nth=0")
    assert "No space left on device" in page.locator(".failure").inner_text()
    screenshot(page, "bulletin-failed-office")
    page.click("form[action$='/retry/'] button")
    page.wait_for_load_state("networkidle")
    page.locator("form[action$='/publish/'] button").wait_for(timeout=60_000)
    assert Bulletin.objects.get(pk=bulletin.pk).status == "ready"
