import pytest

from core.roles import Role
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_in_chinese_on_a_phone(browser, live_server, make_user):
    make_user("office", Role.OFFICE)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "创文通"
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "wrong-password-1")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator("[role=alert]").inner_text()
    screenshot(page, "sign-in-error-phone")
    page.fill("input[name=password]", "demo-pass-2024")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url
    assert all(url.startswith(live_server.url) for url in requests), [
        u for u in requests if not u.startswith(live_server.url)
    ]
    context.close()
