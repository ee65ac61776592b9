"""Issue 12, questionnaires in Chromium: the surveyor previews questionnaire A on a 390×844 phone (large choices, a
1–5 rating row, no sideways scrolling); the office, on a desktop, adds a quota on the round page, opens the round and
turns its public link on (the QR code shows). Screenshots at each step."""

from datetime import date

import pytest
from playwright.sync_api import expect

from campaign.models import Region
from campaign.services import region_create
from core.roles import Role
from evaluation.models import SurveyQuota, SurveyRound
from evaluation.questionnaires import demo, services
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def watch_errors(page):
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


@pytest.fixture
def survey_city(make_user):
    office = make_user("office", Role.OFFICE)
    surveyor = make_user("surveyor", Role.SUPERVISOR, first_name="张调查")
    district = region_create(actor=office, name="平城区", code="D", level=Region.Level.DISTRICT)
    street = region_create(actor=office, name="新华街街道", code="S", level=Region.Level.STREET, parent=district)
    areas = [
        region_create(actor=office, name=name, code=f"C{i}", level=Region.Level.COMMUNITY, parent=street)
        for i, name in enumerate(["新华街社区", "大北街社区", "红旗社区"])
    ]
    questionnaires = demo.create_questionnaires(office=office)
    survey_round = services.round_create(
        actor=office,
        name="2026年12月模拟测评问卷调查",
        start_date=date(2026, 12, 1),
        end_date=date(2026, 12, 31),
        questionnaires=questionnaires,
        surveyors=[surveyor],
        source_weights={"interview": 70, "fieldworker": 30},
    )
    for area in areas[:2]:
        for group, target in (("residents", 12), ("merchants", 6)):
            services.quota_save(
                actor=office, round=survey_round, region=area, group=group, target=target, surveyor=surveyor
            )
    return {"round": survey_round, "questionnaires": questionnaires, "areas": areas}


def test_preview_on_a_phone_and_the_round_page(survey_city, browser_login, live_server):
    c = survey_city
    questionnaire = c["questionnaires"][0]

    # 1. The surveyor previews questionnaire A on a phone.
    phone = browser_login("surveyor", phone=True)
    errors = watch_errors(phone)
    phone.goto(f"{live_server.url}/evaluation/questionnaires/{questionnaire.pk}/preview/")
    expect(phone.locator(".phone-head h1")).to_have_text("城市居民问卷")
    expect(phone.locator("fieldset.ask")).to_have_count(questionnaire.questions.count())
    rating = phone.locator("fieldset.ask").nth(5)
    rating.locator(".star").nth(3).click()
    assert rating.locator("input[value='4']").is_checked()
    box = phone.locator(".respondent .choice").first.bounding_box()
    assert box["height"] >= 44  # a thumb's target
    assert no_horizontal_scroll(phone)
    screenshot(phone, "questionnaires-1-phone-preview")

    # 2. The office, on a desktop: the round page, a quota added, opened, the public link on.
    office = browser_login("office")
    office_errors = watch_errors(office)
    survey_round = c["round"]
    office.goto(f"{live_server.url}/evaluation/survey-rounds/{survey_round.pk}/")
    expect(office.locator(".quota-table tbody tr")).to_have_count(4)
    form = office.locator("form.quota-form")
    form.locator("select[name=region]").select_option(str(c["areas"][2].pk))
    form.locator("select[name=group]").select_option("students")
    form.locator("input[name=target]").fill("5")
    form.locator("select[name=surveyor]").select_option(label="surveyor（张调查）")
    form.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    expect(office.locator(".quota-table tbody tr")).to_have_count(5)
    assert SurveyQuota.objects.filter(round=survey_round, group="students").exists()
    office.click("text=开启轮次")
    office.wait_for_load_state("networkidle")
    office.click("text=开启公开链接")
    office.wait_for_load_state("networkidle")
    survey_round = SurveyRound.objects.get(pk=survey_round.pk)
    assert survey_round.status == "open" and survey_round.public_token
    expect(office.locator(".public-link")).to_be_visible()
    screenshot(office, "questionnaires-2-round-desktop")

    # 3. The round page on the surveyor's phone: their quotas first, no sideways scrolling.
    phone.goto(f"{live_server.url}/evaluation/survey-rounds/{survey_round.pk}/")
    expect(phone.locator(".mine li")).to_have_count(5)
    assert no_horizontal_scroll(phone)
    screenshot(phone, "questionnaires-3-phone-round")
    assert not errors and not office_errors, errors + office_errors
