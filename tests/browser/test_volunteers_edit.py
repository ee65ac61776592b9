"""The office corrects a volunteer's record and an activity's date on the pages; the figures page's calendar
presets show the moved service in its new month."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import screenshot
from tests.volunteers.builders import add_volunteer, vcity  # noqa: F401
from volunteers.models import Participation
from volunteers.services import activity_create, participation_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")


def test_office_edits_a_volunteer_and_moves_an_activity(browser_login, live_server, vcity, add_volunteer):
    volunteer = add_volunteer("李明", teams=[vcity.team_red])
    start = datetime(2026, 3, 31, 9, tzinfo=TZ)
    activity = activity_create(
        actor=vcity.office,
        theme="南关路口文明交通劝导",
        kind="persuasion",
        start_at=start,
        end_at=start + timedelta(hours=2),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    participation_add(actor=vcity.office, activity=activity, volunteer=volunteer, hours=2)

    page = browser_login("office")
    page.goto(f"{live_server.url}/volunteers/people/{volunteer.pk}/")
    assert "/accounts/login/" not in page.url, page.content()[-3000:]
    page.click(".actions >> text=编辑")
    assert "/edit/" in page.url, page.url
    page.fill("input[name=name]", "李明明")
    page.fill("input[name=phone]", "12")  # bad: nothing changes, the field says why
    page.click("main button.btn-primary")
    assert page.locator(".errorlist").count() >= 1, page.content()
    screenshot(page, "volunteers-edit-error-desktop")
    page.fill("input[name=phone]", "13912345678")
    page.click("main button.btn-primary")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("李明明")
    assert "变更记录" in page.locator(".history").inner_text() and "13912345678" in page.content()
    screenshot(page, "volunteers-detail-history-desktop")

    page.goto(f"{live_server.url}/volunteers/activities/{activity.pk}/")
    page.click(".actions >> text=编辑")
    page.fill("input[name=start_at]", "2026-04-02T09:00")
    page.fill("input[name=end_at]", "2026-04-02T11:00")
    page.click("main button.btn-primary")
    page.wait_for_load_state("networkidle")
    assert "活动已保存" in page.content()
    screenshot(page, "volunteers-activity-edited-desktop")
    assert str(Participation.objects.get().day) == "2026-04-02"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/volunteers/figures/?start=2026-04-01&end=2026-06-30")
    assert page.locator(".kpi .value").nth(3).inner_text() == "1"  # person-times in the second quarter
    screenshot(page, "volunteers-figures-phone")
    page.goto(f"{live_server.url}/volunteers/figures/?start=2026-03-01&end=2026-03-31")
    assert page.locator(".kpi .value").nth(3).inner_text() == "0"
    page.goto(f"{live_server.url}/volunteers/figures/?start=bad")
    assert page.locator(".msg-error").count() == 1
