"""The office generates a weekly bulletin (a real Celery worker makes it), watches it become ready without
reloading, publishes it; the leader is notified and opens it on a phone."""

import pytest

from tests.conftest import screenshot
from tests.reports.conftest import city, leader_user, office, scenario, week  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_office_generates_and_publishes_leader_reads(
    celery_worker_process, browser_login, live_server, scenario, week, office, leader_user
):
    from reports.models import Bulletin

    page = browser_login("office")
    assert page.url.endswith("/reports/")  # the dashboard is the landing page
    assert page.locator("svg.chart").count() >= 1
    screenshot(page, "bulletin-office-dashboard")
    page.goto(f"{live_server.url}/reports/bulletins/")
    page.click("summary")
    page.select_option("select[name=kind]", "weekly")
    page.fill("input[name=period_start]", week.isoformat())
    page.click("form.generate-form button[type=submit]")
    page.wait_for_url("**/reports/bulletins/*/")
    # the status card polls (htmx) until the worker has made the PDF, then the page refreshes itself
    page.locator("form[action$='/publish/'] button").wait_for(timeout=90_000)
    bulletin = Bulletin.objects.get()
    assert bulletin.status == "ready" and bulletin.number == 1
    assert "创建全国文明城市工作通报" not in page.content()  # the page is not the PDF: it previews it
    assert page.locator("iframe").count() == 1
    screenshot(page, "bulletin-ready-office")
    pdf = page.request.get(f"{live_server.url}/reports/bulletins/{bulletin.pk}/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    page.click("form[action$='/publish/'] button")
    page.wait_for_load_state("networkidle")
    assert "已发布" in page.locator(".messages").inner_text()
    screenshot(page, "bulletin-published-office")

    phone = browser_login("leader", phone=True)
    assert phone.locator(".bell .badge").inner_text() == "1"  # notified
    phone.click(f"a[href='/reports/bulletins/{bulletin.pk}/']")
    phone.wait_for_load_state("networkidle")
    assert bulletin.title in phone.locator("h1").inner_text()
    assert phone.locator("form[action$='/publish/']").count() == 0
    screenshot(phone, "bulletin-leader-phone")
    phone.goto(f"{live_server.url}/reports/bulletins/")
    assert phone.locator("table.bulletin-table tbody tr").count() == 1
    screenshot(phone, "bulletin-archive-leader-phone")
    response = phone.request.get(f"{live_server.url}/reports/bulletins/{bulletin.pk}/pdf/")
    assert response.status == 200 and response.body()[:4] == b"%PDF"
