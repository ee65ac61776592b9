"""Issue 12, surveys in Chromium: the `surveyor` on a 390×844 phone fills three questionnaires (one question per screen;
the third while the connection is down: kept on the phone and sent when it is back), the quota progress moves; the
office accepts the flagged one on the data-quality page; the public self-fill link answers once per device.
Screenshots at each step (test-artifacts/surveys-*.png)."""

import pytest
from playwright.sync_api import expect

from evaluation.models import SurveyQuota, SurveyResponse
from tests.conftest import clear_rate_limits, screenshot
from tests.evaluation.surveys_world import sw  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def watch_errors(page):
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "net::" not in m.text else None)
    return errors


def answer_all(page, *, shots=None):
    """Questionnaire A: 1 single (A), 2 multiple (B and C), 3 rating (5), 4 yes, 5 text (left empty)."""
    expect(page.locator("#survey-question")).to_be_visible()
    expect(page.locator("[data-step]")).to_contain_text("第1题")
    page.locator("[data-next]").click()  # unanswered: refused on the phone
    expect(page.locator("[data-error]")).to_be_visible()
    page.locator("[data-choices] button").nth(0).click()
    if shots:
        screenshot(page, f"{shots}-question-1")
    page.locator("[data-next]").click()
    page.locator("[data-choices] button").nth(1).click()
    page.locator("[data-choices] button").nth(2).click()
    if shots:
        screenshot(page, f"{shots}-question-2-multiple")
    page.locator("[data-next]").click()
    page.locator("[data-choices] button", has_text="5").click()
    if shots:
        screenshot(page, f"{shots}-question-3-rating")
    page.locator("[data-next]").click()
    page.locator("[data-choices] button").nth(0).click()
    page.locator("[data-next]").click()
    expect(page.locator("[data-next]")).to_have_text("提交")
    page.locator("[data-choices] textarea").fill("")


def start(page, *, area, group="residents", questionnaire=None):
    if questionnaire is not None:
        page.select_option("#survey-questionnaire", str(questionnaire.pk))
    page.select_option("#survey-area", str(area.pk))
    page.select_option("#survey-group", group)
    page.uncheck("#survey-geo")
    page.locator("[data-start]").click()


def test_surveyor_fills_three_questionnaires_and_quotas_move(sw, browser_login, live_server):
    w = sw
    w.round.questionnaires.add(w.qb)
    SurveyQuota.objects.create(round=w.round, region=w.ca, group="merchants", target=2, surveyor=w.surveyor)
    w.round.min_seconds = 0
    w.round.save()

    phone = browser_login("surveyor", phone=True)
    errors = watch_errors(phone)
    phone.goto(f"{live_server.url}/evaluation/surveys/")
    expect(phone.locator("h1")).to_contain_text("我的问卷调查")
    expect(phone.locator(".quota").filter(has_text="居民").first).to_contain_text("0 / 4")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "surveys-1-phone-home")

    # 1. Questionnaire A, residents of 南关社区.
    phone.locator("a", has_text="开始访问").click()
    phone.wait_for_load_state("networkidle")
    start(phone, area=w.ca, questionnaire=w.qa)
    answer_all(phone, shots="surveys-2")
    phone.locator("[data-next]").click()
    expect(phone.locator("[data-done-text]")).to_have_text("已提交，谢谢！")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "surveys-3-phone-sent")
    assert SurveyResponse.objects.filter(quality="valid").count() == 1

    # 2. Questionnaire B (one rating question), merchants of 南关社区.
    phone.locator("[data-again]").click()
    start(phone, area=w.ca, group="merchants", questionnaire=w.qb)
    phone.locator("[data-choices] button", has_text="4").click()
    phone.locator("[data-next]").click()
    expect(phone.locator("[data-done-text]")).to_have_text("已提交，谢谢！")

    # 3. Questionnaire A in 新华社区 with the connection down: kept on the phone, sent when it is back. This one is
    #    too fast for the round's new minimum: flagged.
    w.round.min_seconds = 600
    w.round.save()
    phone.locator("[data-again]").click()
    start(phone, area=w.cb, questionnaire=w.qa)
    answer_all(phone)
    phone.context.set_offline(True)
    phone.locator("[data-next]").click()
    expect(phone.locator("[data-done-text]")).to_have_text("已保存在本机，联网后自动发送。")
    expect(phone.locator("[data-survey-outbox]")).to_contain_text("待发送：1")
    screenshot(phone, "surveys-4-phone-offline")
    assert SurveyResponse.objects.count() == 2
    phone.context.set_offline(False)
    phone.goto(f"{live_server.url}/evaluation/surveys/")  # any survey page sends what waits
    phone.wait_for_function(
        "() => !localStorage.getItem('cwt-survey-outbox') || localStorage.getItem('cwt-survey-outbox') === '[]'"
    )
    assert SurveyResponse.objects.count() == 3
    assert SurveyResponse.objects.filter(quality="flagged", too_fast=True).count() == 1
    phone.reload()
    quotas = phone.locator(".quota")
    expect(quotas.filter(has_text="南关社区").filter(has_text="居民")).to_contain_text("1 / 4")
    expect(quotas.filter(has_text="南关社区").filter(has_text="商户")).to_contain_text("1 / 2")
    expect(quotas.filter(has_text="新华社区")).to_contain_text("0 / 3")
    expect(quotas.filter(has_text="新华社区")).to_contain_text("1份被标记")
    screenshot(phone, "surveys-5-phone-progress")
    assert not errors, errors

    # 4. The office accepts the flagged one; the quota of 新华社区 moves.
    office = browser_login("office")
    office_errors = watch_errors(office)
    office.goto(f"{live_server.url}/evaluation/surveys/quality/")
    expect(office.locator("table.survey-quality tbody tr")).to_have_count(1)
    expect(office.locator("table.survey-quality")).to_contain_text("用时过短")
    screenshot(office, "surveys-6-office-quality")
    office.locator("table.survey-quality button", has_text="审核通过").click()
    office.wait_for_load_state("networkidle")
    assert SurveyResponse.objects.filter(quality="accepted").count() == 1
    office.goto(f"{live_server.url}/evaluation/surveys/rounds/{w.round.pk}/progress/")
    expect(office.locator("[data-total-counted]")).to_have_text("3")
    screenshot(office, "surveys-7-office-progress")

    # 5. The rates page shows them: each rate's sample is the counted answers of the three responses.
    from django.db.models import Sum

    from evaluation.models import SurveyTally

    office.goto(f"{live_server.url}/evaluation/survey-rates/?round={w.round.pk}")
    shown = 0
    for rate in ("awareness", "support", "satisfaction", "participation"):
        n = SurveyTally.objects.filter(round=w.round, question__rate=rate).aggregate(n=Sum("answered"))["n"] or 0
        if n:
            expect(office.locator(f'.rate-kpi[data-rate="{rate}"]')).to_contain_text(f"= {n}")
            shown += 1
    assert shown, "no rate has counted answers"
    expect(office.locator("main")).to_contain_text("南关社区")
    screenshot(office, "surveys-7b-office-rates")
    assert not office_errors, office_errors


def test_public_link_once_per_device(sw, browser, live_server):
    clear_rate_limits()
    w = sw
    w.round.min_seconds = 0
    w.round.save()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/evaluation/s/pub-token/")
    expect(page.locator("h1")).to_contain_text(w.round.name)
    page.select_option("#survey-area", str(w.cb.pk))
    screenshot(page, "surveys-8-public-start")
    page.locator("[data-start]").click()
    answer_all(page)
    page.locator("[data-next]").click()
    page.wait_for_url("**/thanks/")
    expect(page.locator("h1")).to_contain_text("谢谢")
    screenshot(page, "surveys-9-public-thanks")
    assert SurveyResponse.objects.filter(source="self_fill").count() == 1

    # The same phone again: the page says it has answered; a form kept open elsewhere is refused, with the reason.
    page.goto(f"{live_server.url}/evaluation/s/pub-token/")
    expect(page.locator("h1")).to_contain_text("谢谢")
    expect(page.locator("main")).to_contain_text("本设备已填写过本次调查")
    page.goto(f"{live_server.url}/evaluation/s/pub-token/?again=1")
    page.select_option("#survey-area", str(w.cb.pk))
    page.locator("[data-start]").click()
    answer_all(page)
    page.locator("[data-next]").click()
    expect(page.locator("[data-done-error]")).to_contain_text("本设备已填写过本次调查")
    screenshot(page, "surveys-10-public-second-refused")
    assert SurveyResponse.objects.count() == 1
    assert no_horizontal_scroll(page) is not False
    assert not errors or all("409" in e or "Failed to load" in e for e in errors), errors
    context.close()
