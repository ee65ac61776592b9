"""Issue 12, readiness in Chromium: the leader's dashboard shows the predicted score (测评得分预估) with the points
possible and the top points at risk; the readiness page shows the streets, the owners and what would raise each
standard. Desktop and a 390×844 phone; screenshots to test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.readiness import services
from tests.conftest import screenshot
from tests.evaluation.readiness_world import Example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def watch_errors(page):
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


@pytest.fixture
def example(make_user):
    today = timezone.localdate()
    example = Example(make_user, today=today)
    for weeks_back in (2, 1, 0):
        services.readiness_snapshot(week=today - timedelta(weeks=weeks_back))
    return example


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_leader_sees_the_predicted_score_and_the_points_at_risk(example, browser_login, live_server, phone):
    suffix = "phone" if phone else "desktop"
    page = browser_login("r-leader", phone=phone)
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/")
    card = page.locator(".readiness-card")
    expect(card).to_contain_text("测评得分预估")
    expect(card.locator(".big-score")).to_contain_text("14.3")
    expect(card.locator(".big-score")).to_contain_text("/ 20")
    expect(card.locator(".risk-list li")).to_have_count(3)
    expect(card.locator(".risk-list li").first).to_contain_text("S1")
    expect(card.locator(".risk-list li").first).to_contain_text("城管局")
    card.scroll_into_view_if_needed()
    screenshot(page, f"readiness-1-leader-dashboard-{suffix}")
    assert no_horizontal_scroll(page)

    card.locator("a", has_text="详情").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("测评得分预估")
    expect(page.locator("table.streets")).to_contain_text("南街道")
    risks = page.locator("table.at-risk tbody tr")
    expect(risks).to_have_count(3)
    expect(risks.first).to_contain_text("1 个未办结问题")
    expect(risks.nth(1)).to_contain_text("1 份材料缺报或被退回")
    expect(page.locator(".chart-wrap svg")).to_be_visible()
    screenshot(page, f"readiness-2-page-{suffix}")
    assert no_horizontal_scroll(page)
    assert not errors, errors
