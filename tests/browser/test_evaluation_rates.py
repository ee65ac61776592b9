"""The survey rates page on a desktop and a 390×844 phone: the office reads the four rates with their intervals and
the change from the previous round, the tables and the weakest questions; a supervisor only its areas (screenshots
in test-artifacts/)."""

import pytest

from tests.conftest import screenshot
from tests.evaluation.rates_world import build_tallies, respond, survey_city  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def surveyed(survey_city, transactional_db):
    city, q, r = survey_city, survey_city["questions"], survey_city["regions"]
    jan, feb = city["rounds"]["jan"], city["rounds"]["feb"]
    feb.source_weights = {"interview": 70, "fieldworker": 30}
    feb.save()
    plan = {"aware": (0.85, 0.80), "support": (0.92, 0.9), "satisfied": (0.71, 0.76), "joined": (0.46, 0.40)}
    for index, area in enumerate(("ca1", "ca2", "cb1")):
        for key, (now, before) in plan.items():
            total = 40 + 10 * index
            respond(city, jan, r[area], q[key], positive=int(total * before) - index, total=total)
            respond(city, feb, r[area], q[key], positive=int(total * now) - 2 * index, total=total)
            respond(city, feb, r[area], q[key], positive=int(12 * now), total=12, source="fieldworker")
            respond(city, feb, r[area], q[key], positive=int(15 * now), total=15, group="merchants")
    build_tallies()
    return city


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_office_reads_the_rates(surveyed, browser_login, live_server, phone):
    page = browser_login("office", phone=phone)
    page.goto(f"{live_server.url}/evaluation/survey-rates/")
    assert "问卷测评率" in page.locator("h1").inner_text()
    assert page.locator(".rate-kpi").count() == 4
    kpi = page.locator('.rate-kpi[data-rate="awareness"]').inner_text()
    assert "%" in kpi and "置信区间" in kpi and "样本量" in kpi
    assert page.locator(".rate-kpi .change").count() == 4
    assert page.locator(".weakest-table tbody tr").count() >= 1
    assert "城管局" in page.locator(".weakest-table").inner_text()
    screenshot(page, f"rates-office-{'phone' if phone else 'desktop'}")
    page.select_option("#round-pick", str(surveyed["rounds"]["jan"].pk))
    page.click(".round-picker button")
    page.wait_for_load_state("networkidle")
    assert "一月模拟测评" in page.locator("h1").inner_text()


def test_supervisor_reads_its_areas(surveyed, browser_login, live_server):
    page = browser_login("supervisor", phone=True)
    page.goto(f"{live_server.url}/evaluation/survey-rates/")
    text = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "南关一社区" in text and "北关一社区" not in text
    screenshot(page, "rates-supervisor-phone")
