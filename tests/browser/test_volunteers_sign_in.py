"""The organiser shows the activity's QR code; a volunteer opens its link on a phone and signs in once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import screenshot
from tests.volunteers.builders import add_volunteer, vcity  # noqa: F401
from volunteers.models import Participation
from volunteers.services import activity_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_activity_sign_in_on_a_phone_through_the_qr_link(browser, browser_login, live_server, vcity, add_volunteer):
    volunteer = add_volunteer("李明", teams=[vcity.team_red])
    start = timezone.now() - timedelta(minutes=10)
    activity = activity_create(
        actor=vcity.office,
        theme="南关路口文明交通劝导",
        kind="persuasion",
        start_at=start,
        end_at=start + timedelta(hours=2),
        team=vcity.team_red,
        site=vcity.site_a,
    )

    organiser = browser_login("office")
    organiser.goto(f"{live_server.url}/volunteers/activities/{activity.pk}/")
    assert organiser.locator(".qr svg").count() == 1
    link = organiser.locator("#sign-in-link").get_attribute("href")
    assert link == f"{live_server.url}/volunteers/sign-in/{activity.sign_in_token}/"
    screenshot(organiser, "volunteers-activity-detail-desktop")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(link)  # what the QR code opens: no account needed
    assert "南关路口文明交通劝导" in page.locator("h1").inner_text()
    page.fill("input[name=name]", "李明")
    page.fill("input[name=phone]", "13900009999")
    page.click("button[type=submit]")
    assert "没有与该手机号和姓名相符的注册志愿者" in page.locator("[role=alert]").inner_text()
    page.fill("input[name=name]", "李明")
    page.fill("input[name=phone]", volunteer.phone)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "签到成功" in page.locator("[role=status]").inner_text()
    screenshot(page, "volunteers-sign-in-phone")
    page.fill("input[name=name]", "李明")
    page.fill("input[name=phone]", volunteer.phone)
    page.click("button[type=submit]")
    assert "您已签到过" in page.locator("[role=status]").inner_text()
    phone.close()

    participation = Participation.objects.get()
    assert participation.volunteer == volunteer and participation.source == "qr" and participation.hours == 2
    organiser.reload()
    assert "李明" in organiser.locator("table").first.inner_text()
    assert organiser.locator(".hours-form input[name=hours]").input_value() == "2.0"
    organiser.fill(".hours-form input[name=hours]", "1.5")
    organiser.click(".hours-form button")
    organiser.wait_for_load_state("networkidle")
    participation.refresh_from_db()
    assert str(participation.hours) == "1.5"
    screenshot(organiser, "volunteers-activity-hours-desktop")
