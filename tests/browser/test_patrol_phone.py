"""A supervisor on a phone: start a patrol, find the site nearby by GPS, check in, fail a checklist item and
see the ticket it became."""

import pytest

from inspections.models import ChecklistResult, PatrolVisit, Ticket
from tests.conftest import screenshot
from tests.inspections.sites.conftest import build_district, offset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_patrols_a_site_on_a_phone(browser_login, live_server, make_user):
    district = build_district(make_user)
    page = browser_login("supervisor", phone=True)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    lat, lng = offset(metres_north=40, metres_east=-25)  # about 47 m from 南关农贸市场
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": lat, "longitude": lng, "accuracy": 10})

    page.goto(f"{live_server.url}/inspections/patrols/")
    page.click("text=发起巡查")
    page.select_option("select[name=kind]", "supervision_group")
    page.fill("input[name=title]", "周五督查")
    screenshot(page, "patrol-phone-1-start")
    page.click("button:has-text('开始')")
    page.wait_for_load_state("networkidle")
    assert "周五督查" in page.locator("h1").inner_text()

    page.click("[data-action=locate]")
    choice = page.locator(".site-choice", has_text="南关农贸市场")
    choice.wait_for()
    assert "米" in choice.inner_text()
    # The far site (3 km north) is not offered within 1 km.
    assert page.locator(".site-choice", has_text="北关大街").count() == 0
    screenshot(page, "patrol-phone-2-nearby")
    choice.click()
    page.wait_for_load_state("networkidle")
    assert "已在南关农贸市场签到" in page.locator(".messages").inner_text()
    visit = PatrolVisit.objects.get()
    assert 40 < visit.distance_m < 55 and not visit.too_far

    first = page.locator(".check-item").first
    standard_code = first.locator(".code").inner_text()
    first.locator(".choice-fail").click()
    assert first.locator(".fail-extra").is_visible()
    first.locator("select").select_option(label=f"{district.category.get_group_display()} · {district.category.name}")
    first.locator("textarea").fill("市场门口占道摆摊")
    page.locator(".check-item").nth(1).locator(".choice-pass").click()
    screenshot(page, "patrol-phone-3-checklist")
    page.click("button:has-text('保存检查结果')")
    page.wait_for_load_state("networkidle")
    assert "1 项不合格已生成问题" in page.locator(".messages").inner_text()

    ticket = Ticket.objects.get()
    assert ticket.standard.code == standard_code and ticket.patrol_visit == visit
    assert ChecklistResult.objects.get(result="fail").ticket == ticket
    assert ticket.number in page.locator(".ticket-row").inner_text()
    assert "不合格" in page.locator(f"#item-{ticket.standard_id}").inner_text()
    screenshot(page, "patrol-phone-4-ticket")
    # Nothing was fetched from outside the app (no CDN, no tiles).
    assert all(url.startswith(live_server.url) for url in requests), [
        u for u in requests if not u.startswith(live_server.url)
    ]

    page.click("text=‹")
    page.click("button:has-text('结束巡查')")
    page.wait_for_load_state("networkidle")
    assert "巡查已结束" in page.locator(".messages").inner_text()
    screenshot(page, "patrol-phone-5-finished")
