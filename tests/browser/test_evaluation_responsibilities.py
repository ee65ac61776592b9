"""A unit liaison's "my responsibilities" and 三清单 on a desktop and a phone, and the office's list (screenshots in
test-artifacts/)."""

import io
import random

import pytest

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_list(transactional_db):
    from campaign import demo as campaign_demo
    from core.models import User
    from evaluation.responsibilities import demo
    from evaluation.services import evaluation_load_sample
    from inspections.sites.services import reference_data_load
    from inspections.tickets import demo as tickets_demo

    campaign_demo.seed(rng=random.Random(2026), stdout=io.StringIO())
    office = User.objects.get(username="office")
    reference_data_load(actor=office)
    evaluation_load_sample(actor=office)
    try:
        tickets_demo.seed(rng=random.Random(2026), stdout=io.StringIO())
    except Exception:  # noqa: BLE001 - the tickets only make the problem lists fuller
        pass
    demo.seed(rng=random.Random(2026), stdout=io.StringIO())


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_unit_reads_its_duties_and_three_lists(demo_list, browser_login, live_server, phone):
    page = browser_login("unit", phone=phone)
    page.goto(f"{live_server.url}/evaluation/responsibilities/mine/")
    assert "我的责任清单" in page.locator("h1").inner_text()
    assert page.locator(".duty").count() >= 5
    assert page.locator(".duty-overdue").count() >= 1 and page.locator(".duty-done").count() >= 1
    screenshot(page, f"responsibilities-mine-{'phone' if phone else 'desktop'}")
    page.goto(f"{live_server.url}/evaluation/responsibilities/three-lists/")
    assert "三清单" in page.locator("h1").inner_text()
    assert page.locator("#duties .duty").count() >= 5
    assert page.locator("#problems").is_visible() and page.locator("#rectifications").is_visible()
    screenshot(page, f"responsibilities-three-lists-{'phone' if phone else 'desktop'}")


def test_office_filters_the_list(demo_list, browser_login, live_server):
    page = browser_login("office")
    page.goto(f"{live_server.url}/evaluation/responsibilities/?overdue=true")
    assert page.locator(".duty-table tbody tr").count() >= 1
    assert page.locator(".duty-table .badge-red").count() == page.locator(".duty-table tbody tr").count()
    screenshot(page, "responsibilities-list-desktop")
