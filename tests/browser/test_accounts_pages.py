"""Issue 9, accounts: the first-sign-in password change and the security log, in a phone-sized browser."""

import pytest
from playwright.sync_api import expect

from core.roles import Role
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_temporary_password_then_security_log_on_a_phone(browser, live_server, make_user):
    make_user("office", Role.OFFICE, must_change_password=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", "demo-pass-2024")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/accounts/password/")  # every page leads here until the password is changed
    assert "临时密码" in page.content()
    page.goto(f"{live_server.url}/security-log/")
    assert page.url.endswith("/accounts/password/")
    page.fill("input[name=old_password]", "demo-pass-2024")
    page.fill("input[name=new_password1]", "my-own-pass-2025")
    page.fill("input[name=new_password2]", "my-own-pass-2025")
    screenshot(page, "password-change-phone")
    page.click("main button[type=submit]")  # not the top bar's sign-out button
    page.wait_for_load_state("networkidle")
    assert not page.url.endswith("/accounts/password/")
    page.goto(f"{live_server.url}/security-log/")
    assert page.locator("h1").inner_text() == "安全日志"
    assert page.locator("#results tbody tr").count() >= 2  # the sign-in and the password change
    page.select_option("select[name=kind]", "password_change")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # htmx swapped the table
    assert "修改密码" in page.locator("#results tbody").inner_text()
    assert no_horizontal_scroll(page)
    screenshot(page, "security-log-phone")
    assert not errors, errors
    context.close()
