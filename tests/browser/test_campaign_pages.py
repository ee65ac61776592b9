"""The command structure as office staff see it on a desktop and a supervisor on a phone."""

import io

import pytest
from django.core.management import call_command

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(transactional_db):
    """The whole demo city (every app's part), as `make run` loads it."""
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def demo_structure(transactional_db):
    """Only the command structure: enough for the pages of this app, and quick."""
    import random

    from campaign import demo

    demo.seed(rng=random.Random(2026), stdout=io.StringIO())


def test_office_reads_the_command_structure_on_a_desktop(demo_city, browser_login, live_server):
    page = browser_login("office")
    requests = []
    page.on("request", lambda r: requests.append(r.url))

    page.goto(f"{live_server.url}/campaign/org/")
    assert "平城区创建文明城市指挥部" in page.locator("h3").first.inner_text()
    assert page.locator(".oc-supervision_group").count() == 11
    assert page.locator(".oc-task_force").count() == 7
    assert "第一总指挥" in page.locator(".oc-headquarters").inner_text()
    screenshot(page, "campaign-org-chart-desktop")

    page.goto(f"{live_server.url}/campaign/regions/")
    tree = page.locator(".region-tree")
    assert "平城区" in tree.inner_text() and "南关街道" in tree.inner_text()
    # Communities are collapsed under their street until opened.
    street = page.locator("summary").filter(has=page.get_by_role("link", name="南关街道", exact=True))
    assert not page.get_by_role("link", name="魏都社区", exact=True).is_visible()
    street.locator(".tree-level").click()
    assert page.get_by_role("link", name="魏都社区", exact=True).is_visible()
    screenshot(page, "campaign-region-tree-desktop")

    page.goto(f"{live_server.url}/campaign/units/")
    assert page.locator("#results tbody tr").count() == 20
    page.select_option("select[name=kind]", "school")
    page.wait_for_function(
        "() => document.querySelectorAll('#results tbody tr').length === 20 && "
        "[...document.querySelectorAll('#results tbody tr td:nth-child(3)')].every(td => td.innerText.trim() === '学校')"  # noqa: E501
    )
    assert "kind=school" in page.url
    screenshot(page, "campaign-units-desktop")
    assert all(url.startswith(live_server.url) for url in requests), [
        u for u in requests if not u.startswith(live_server.url)
    ]


def test_office_edits_a_unit_and_sees_its_history(demo_structure, browser_login, live_server):
    page = browser_login("office")
    page.goto(f"{live_server.url}/campaign/units/?q=PC-SQ-004")
    page.get_by_role("link", name="魏都社区居民委员会").click()
    page.get_by_role("link", name="编辑").click()
    page.fill("input[name=code]", "PC-SQ-001")  # taken: refused with a field message, nothing saved
    page.get_by_role("button", name="保存").click()
    assert "编码为 PC-SQ-001 的单位已存在。" in page.locator(".field.has-error").inner_text()
    screenshot(page, "campaign-unit-form-error-desktop")
    page.fill("input[name=code]", "PC-SQ-004")
    page.select_option("select[name=civilized_level]", "municipal")
    page.fill("input[name=civilized_year]", "2025")
    page.get_by_role("button", name="保存").click()
    assert "已保存" in page.locator(".messages").inner_text()
    history = page.locator(".history").inner_text()
    assert "修改" in history and "市级文明单位" in history and "创文办" not in history
    screenshot(page, "campaign-unit-detail-desktop")

    page.goto(f"{live_server.url}/campaign/org/")
    page.get_by_role("link", name="公共环境整治指导督导组").click()
    assert "南关街道" in page.locator("dl.props").inner_text()
    assert page.locator("table tbody tr").count() == 4
    screenshot(page, "campaign-body-detail-desktop")
    page.goto(f"{live_server.url}/campaign/assignments/?has_letter=true")
    assert page.locator("#results tbody tr").count() == 4
    letter = page.locator("#results tbody tr a", has_text="查看").first.get_attribute("href")
    response = page.request.get(f"{live_server.url}{letter}")
    assert response.ok and response.body().startswith(b"%PDF")
    screenshot(page, "campaign-assignments-desktop")


def test_supervisor_reads_the_org_chart_on_a_phone(demo_structure, browser_login, live_server):
    page = browser_login("supervisor", phone=True)
    page.goto(f"{live_server.url}/campaign/org/")
    assert page.locator(".oc-supervision_group").count() == 11
    assert "公共环境整治指导督导组" in page.locator(".oc-mine").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the chart overflows the phone screen ({width}px)"
    screenshot(page, "campaign-org-chart-phone")
    page.goto(f"{live_server.url}/campaign/units/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "campaign-units-phone")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.goto(f"{live_server.url}/campaign/org/")
    assert "Supervision groups" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "campaign-org-chart-phone-en")
