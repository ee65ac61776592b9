"""Issue 11, material review in Chromium: a unit uploads evidence and submits it, the office returns it with a reason,
the unit starts a new version (on a phone) and submits it, the office accepts it. Screenshots at each step."""

import pytest
from playwright.sync_api import expect

from evaluation.models import MaterialSubmission
from tests.conftest import screenshot
from tests.evaluation.materials_world import mcity, png_bytes  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"


def no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def watch_errors(page):
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def completeness(page, live_server, shot):
    """The office's completeness figures as shown: required, submitted, accepted, returned (the KPI cards)."""
    page.goto(f"{live_server.url}/evaluation/completeness/")
    values = page.locator(".kpis .kpi .value").all_inner_texts()
    screenshot(page, shot)
    return dict(zip(("required", "submitted", "accepted", "returned"), (int(v.replace(",", "")) for v in values)))


def test_upload_return_resubmit_accept(mcity, browser_login, live_server):
    c = mcity
    requirement = c.requirement
    office = browser_login("office")
    before = completeness(office, live_server, "materials-0-completeness-before")

    # 1. The unit's material page: what it owes, the upload form.
    unit = browser_login("ua")
    errors = watch_errors(unit)
    unit.goto(f"{live_server.url}/evaluation/materials/")
    expect(unit.locator("h1")).to_contain_text("材料申报")
    card = unit.locator(f"#requirement-{requirement.pk}")
    expect(card).to_contain_text(requirement.title)
    card.locator("input[type=file]").set_input_files(
        [
            {"name": "制度文件.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "现场照片.png", "mimeType": "image/png", "buffer": png_bytes()},
        ]
    )
    card.locator("textarea[name=note]").fill("制度文件和现场照片")
    screenshot(unit, "materials-1-unit-upload")
    card.locator("button[name=submit]").click()
    unit.wait_for_load_state("networkidle")
    first = MaterialSubmission.objects.get()
    assert unit.url.endswith(f"/evaluation/materials/submissions/{first.pk}/")
    assert (first.status, first.files.count()) == ("submitted", 2)
    expect(unit.locator(".material-files li")).to_have_count(2)
    screenshot(unit, "materials-2-unit-submitted")

    # 2. The office returns it with a reason (an empty reason is refused by the browser's form first).
    office_errors = watch_errors(office)
    office.goto(f"{live_server.url}/evaluation/materials/review/")
    office.click(f"a[href='/evaluation/materials/submissions/{first.pk}/']")
    office.wait_for_load_state("networkidle")
    office.fill("#return-reason", "情况说明缺少单位盖章页，请补充后重新报送")
    screenshot(office, "materials-3-office-return")
    office.click("form.review-form button.btn-danger")
    office.wait_for_load_state("networkidle")
    expect(office.locator(".return-reason")).to_contain_text("缺少单位盖章页")
    first.refresh_from_db()
    assert first.status == "returned"
    returned = completeness(office, live_server, "materials-3b-completeness-returned")
    assert returned == {**before, "returned": before["returned"] + 1}, (before, returned)

    # 3. The unit, on a phone, sees the reason and starts a new version.
    phone = browser_login("ua", phone=True)
    phone_errors = watch_errors(phone)
    phone.goto(f"{live_server.url}/evaluation/materials/")
    expect(phone.locator(f"#requirement-{requirement.pk} .return-reason")).to_contain_text("缺少单位盖章页")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "materials-4-phone-returned")
    phone.goto(f"{live_server.url}/evaluation/materials/submissions/{first.pk}/")
    phone.locator("#resubmit-files").set_input_files(
        [{"name": "情况说明（盖章）.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    phone.fill("#resubmit-note", "已加盖公章")
    phone.click("text=新建版本")
    phone.wait_for_load_state("networkidle")
    second = MaterialSubmission.objects.get(is_current=True)
    assert second.version == 2 and phone.url.endswith(f"/submissions/{second.pk}/")
    phone.click("text=报送审核")
    phone.wait_for_load_state("networkidle")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "materials-5-phone-resubmitted")
    second.refresh_from_db()
    assert second.status == "submitted"

    # 4. The office accepts the second version; the first stays returned.
    office.goto(f"{live_server.url}/evaluation/materials/submissions/{second.pk}/")
    office.click("form.review-form button.btn-success")
    office.wait_for_load_state("networkidle")
    expect(office.locator(".page-head .status-accepted")).to_be_visible()
    expect(office.locator(".versions li")).to_have_count(2)
    screenshot(office, "materials-6-office-accepted")
    office.goto(f"{live_server.url}/evaluation/materials/requirements/{requirement.pk}/")
    expect(office.locator("table")).to_contain_text(c.unit_a.name)
    screenshot(office, "materials-7-requirement")
    first.refresh_from_db()
    assert (first.status, first.is_current) == ("returned", False)
    # The figures moved: one more pair submitted and accepted, none returned any more.
    after = completeness(office, live_server, "materials-8-completeness-after")
    assert after == {
        **before,
        "submitted": before["submitted"] + 1,
        "accepted": before["accepted"] + 1,
    }, (before, after)
    assert not (errors + office_errors + phone_errors), errors + office_errors + phone_errors
