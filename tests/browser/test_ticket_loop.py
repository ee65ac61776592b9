"""The whole rectify-and-close loop in a real browser: the office dispatches, the unit signs and submits an
after-photo from a phone, the supervisor rejects it on a phone, the unit submits again, the supervisor closes
it. Screenshots of every step are kept in test-artifacts/."""

import re

import pytest

from inspections.models import Ticket
from tests.conftest import screenshot
from tests.inspections.ui.world import build_world, jpeg_bytes, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo_file(name, colour):
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes(colour, size=(320, 240))}


def test_rectify_and_close_loop(browser_login, live_server, make_user):
    world = build_world(make_user)
    ticket = report(world, description="南关农贸市场门口占道经营，摊位堵塞人行道")
    detail_path = f"/inspections/tickets/{ticket.pk}/"
    outside = []

    def watch(page):
        page.on(
            "request",
            lambda r: None if r.url.startswith(live_server.url) or r.url.startswith("data:") else outside.append(r.url),
        )
        return page

    # 1. The office finds the new problem in the list and dispatches it (desktop).
    office = watch(browser_login("office"))
    office.goto(f"{live_server.url}/inspections/tickets/")
    assert office.locator(f"text={ticket.number}").is_visible()
    screenshot(office, "loop-1-office-list")
    office.click(f"text={ticket.number}")
    office.wait_for_url(f"**{detail_path}")
    office.click("#action-dispatch summary")
    assert office.locator("#id_dispatch-unit").input_value() == str(world.unit_a.pk)  # the site's own unit
    assert office.locator("#id_dispatch-deadline").input_value()  # the category's default deadline
    screenshot(office, "loop-2-office-dispatch-form")
    office.click("#action-dispatch button[type=submit]")
    office.wait_for_load_state("networkidle")
    assert "问题已派遣" in office.locator(".messages").inner_text()
    assert office.locator("h1 .badge").inner_text() == "已派遣"
    screenshot(office, "loop-3-office-dispatched")

    # 2. The unit signs for it from its inbox and submits an after-photo (phone).
    unit = watch(browser_login("unit", phone=True))
    unit.goto(f"{live_server.url}/inspections/tickets/inbox/")
    card = unit.locator(f"#ticket-{ticket.pk}")
    assert "待签收" in unit.locator("#group-sign").inner_text()
    screenshot(unit, "loop-4-unit-inbox-phone")
    card.locator("button", has_text="签收").click()
    unit.wait_for_load_state("networkidle")
    assert ticket.number in unit.locator("#group-rectifying").inner_text()
    unit.locator(f"#ticket-{ticket.pk}").get_by_text("提交整改").click()
    unit.wait_for_url(f"**{detail_path}#action-submit")
    submit_form = unit.locator("#action-submit")
    if submit_form.get_attribute("open") is None:
        unit.click("#action-submit summary")
    unit.fill("#id_submit-note", "已清理占道摊位，恢复人行道通行")
    unit.set_input_files("#id_submit-photos", [photo_file("after-1.jpg", (40, 160, 40))])
    screenshot(unit, "loop-5-unit-submit-form-phone")
    unit.click("#action-submit button[type=submit]")
    unit.wait_for_load_state("networkidle")
    assert "整改已提交" in unit.locator(".messages").inner_text()
    assert unit.locator("h1 .badge").inner_text() == "待核查"

    # 3. The supervisor, on a phone in the street, rejects it with a note.
    supervisor = watch(browser_login("supervisor", phone=True))
    supervisor.goto(f"{live_server.url}/inspections/tickets/verify/")
    card = supervisor.locator(f"#ticket-{ticket.pk}")
    assert card.locator(".before-after img").count() == 2  # before and after side by side
    before_box = card.locator(".before-after figure").nth(0).bounding_box()
    after_box = card.locator(".before-after figure").nth(1).bounding_box()
    assert abs(before_box["y"] - after_box["y"]) < 2 and after_box["x"] > before_box["x"]
    assert supervisor.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    screenshot(supervisor, "loop-6-supervisor-queue-phone")
    card.locator("textarea").fill("仍有两处摊位占道，请彻底清理")
    card.locator("button", has_text="不通过").click()
    supervisor.wait_for_load_state("networkidle")
    assert "核查不通过，问题已退回责任单位返工" in supervisor.locator(".messages").inner_text()
    assert supervisor.locator(f"#ticket-{ticket.pk}").count() == 0
    screenshot(supervisor, "loop-7-supervisor-rejected-phone")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rework_count) == (Ticket.Status.RECTIFYING, 1)

    # 4. The unit sees it under rework and submits again.
    unit.goto(f"{live_server.url}/inspections/tickets/inbox/")
    assert ticket.number in unit.locator("#group-rework").inner_text()
    screenshot(unit, "loop-8-unit-rework-phone")
    unit.goto(f"{live_server.url}{detail_path}")
    assert "仍有两处摊位占道" in unit.locator(".timeline").inner_text()
    unit.click("#action-submit summary")
    unit.fill("#id_submit-note", "已全部清理")
    unit.set_input_files("#id_submit-photos", [photo_file("after-2.jpg", (30, 120, 200))])
    unit.click("#action-submit button[type=submit]")
    unit.wait_for_load_state("networkidle")
    assert unit.locator("h1 .badge").inner_text() == "待核查"

    # 5. The supervisor passes it: closed.
    supervisor.goto(f"{live_server.url}/inspections/tickets/verify/")
    supervisor.locator(f"#ticket-{ticket.pk}").locator("button", has_text="通过").last.click()
    supervisor.wait_for_load_state("networkidle")
    assert "核查通过，问题已销号" in supervisor.locator(".messages").inner_text()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED

    # 6. The timeline tells the whole story, in order.
    supervisor.goto(f"{live_server.url}{detail_path}")
    assert supervisor.locator("h1 .badge").inner_text() == "已销号"
    labels = [text.strip() for text in supervisor.locator(".timeline li > div:first-child strong").all_inner_texts()]
    assert labels == [
        "上报问题",
        "派遣至责任单位",
        "责任单位签收",
        "提交整改",
        "核查不通过，返工",
        "提交整改",
        "核查通过并销号",
    ], labels
    timeline = supervisor.locator(".timeline").inner_text()
    assert "仍有两处摊位占道，请彻底清理" in timeline and "已全部清理" in timeline
    assert supervisor.locator(".before-after img").count() == 3  # one before, two after
    assert re.search(r"返工次数\s*1", supervisor.locator(".ticket-head").inner_text())
    screenshot(supervisor, "loop-9-closed-timeline-phone")
    office.goto(f"{live_server.url}{detail_path}")
    screenshot(office, "loop-10-closed-desktop")
    assert outside == [], outside
