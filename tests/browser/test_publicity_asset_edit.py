"""Editing a publicity asset in the browser, on a desktop (1280 px) and a phone (390 px): the Edit button, the
prefilled form, a field error, the saved change in the asset's change history."""

import pytest

from tests.conftest import screenshot
from tests.publicity.builders import make_asset  # noqa: F401
from tests.volunteers.builders import vcity  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_edits_an_asset(browser_login, live_server, vcity, make_asset):
    asset = make_asset(site=vcity.site_a, kind="display_board", theme="讲文明 树新风", quantity=2)
    page = browser_login("office")
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/publicity/assets/{asset.pk}/")
    page.click("text=编辑")
    page.wait_for_url(f"**/publicity/assets/{asset.pk}/edit/")
    assert page.locator("h1").inner_text() == f"编辑 {asset.code}"
    assert page.input_value("input[name=theme]") == "讲文明 树新风"
    screenshot(page, "publicity-asset-edit-desktop")
    page.fill("input[name=quantity]", "0")
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "数量至少为1。" in page.content()
    screenshot(page, "publicity-asset-edit-error-desktop")
    page.fill("input[name=quantity]", "6")
    page.fill("input[name=theme]", "文明交通 你我同行")
    page.click("main form.card button[type=submit]")
    page.wait_for_url(f"**/publicity/assets/{asset.pk}/")
    history = page.locator("#history")
    assert "文明交通 你我同行" in history.inner_text() and "office" in history.inner_text()
    screenshot(page, "publicity-asset-detail-history-desktop")
    assert not errors

    phone = browser_login("office", phone=True)
    phone.goto(f"{live_server.url}/publicity/assets/{asset.pk}/edit/")
    assert phone.input_value("input[name=quantity]") == "6"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the edit page scrolls sideways on a phone ({width} px)"
    screenshot(phone, "publicity-asset-edit-phone")

    unit = browser_login("unit", phone=True)
    unit.goto(f"{live_server.url}/publicity/assets/{asset.pk}/")
    assert unit.locator(f"a[href='/publicity/assets/{asset.pk}/edit/']").count() == 0
