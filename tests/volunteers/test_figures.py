from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from volunteers.selectors import volunteer_figures
from volunteers.services import activity_create, participation_add

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=9):
    return datetime(y, m, d, h, tzinfo=TZ)


@pytest.fixture
def data(vcity, add_volunteer):
    a = add_volunteer("甲", teams=[vcity.team_red], registered_on=date(2025, 12, 1))
    b = add_volunteer("乙", teams=[vcity.team_red, vcity.team_b], registered_on=date(2026, 3, 5))
    c = add_volunteer("丙", teams=[vcity.team_b], region=vcity.street_b, registered_on=date(2026, 4, 2))
    add_volunteer("丁", registered_on=date(2026, 6, 1))  # registered after the period
    march = activity_create(
        actor=vcity.office,
        theme="三月劝导",
        kind="persuasion",
        start_at=at(2026, 3, 10),
        end_at=at(2026, 3, 10, 11),
        team=vcity.team_red,
        site=vcity.site_a,
    )
    april = activity_create(
        actor=vcity.office,
        theme="四月清洁",
        kind="cleanup",
        start_at=at(2026, 4, 20),
        end_at=at(2026, 4, 20, 12),
        team=vcity.team_b,
        site=vcity.site_b,
    )
    may = activity_create(
        actor=vcity.office,
        theme="五月走访",
        kind="visit",
        start_at=at(2026, 5, 31, 23),
        end_at=at(2026, 6, 1, 1),
        team=vcity.team_red,
        address="南关",
    )
    participation_add(actor=vcity.office, activity=march, volunteer=a, hours=2)
    participation_add(actor=vcity.office, activity=march, volunteer=b, hours="1.5")
    participation_add(actor=vcity.office, activity=april, volunteer=b, hours=3)
    participation_add(actor=vcity.office, activity=april, volunteer=c, hours=3)
    participation_add(actor=vcity.office, activity=may, volunteer=a, hours=1)  # 23:00 local on 31 May: in May
    return a, b, c


def test_figures_against_hand_counted_data(vcity, data):
    figures = volunteer_figures(start=date(2026, 3, 1), end=date(2026, 5, 31))
    assert figures["totals"] == {"registered": 3, "new_registered": 2, "active": 3, "person_times": 5, "hours": 10.5}
    teams = {row["team"]: row for row in figures["by_team"]}
    assert teams["红小帽"] == {
        "team_id": vcity.team_red.pk,
        "team": "红小帽",
        "is_brand": True,
        "members": 2,
        "active": 2,
        "person_times": 3,
        "hours": 4.5,
    }
    assert teams["北关志愿队"]["members"] == 2 and teams["北关志愿队"]["person_times"] == 2
    assert teams["北关志愿队"]["hours"] == 6.0 and teams["北关志愿队"]["active"] == 2
    regions = {row["region"]: row for row in figures["by_region"]}
    assert regions["南关社区"] == {
        "region_id": vcity.community_a.pk,
        "region": "南关社区",
        "registered": 0,
        "active": 2,
        "person_times": 2,
        "hours": 3.5,
    }
    assert regions["南关街道"]["registered"] == 2 and regions["南关街道"]["person_times"] == 1
    assert regions["北关街道"]["registered"] == 1 and regions["北关街道"]["hours"] == 6.0
    assert figures["by_month"] == [
        {"month": "2026-03", "new_registered": 1, "active": 2, "person_times": 2, "hours": 3.5},
        {"month": "2026-04", "new_registered": 1, "active": 2, "person_times": 2, "hours": 6.0},
        {"month": "2026-05", "new_registered": 0, "active": 1, "person_times": 1, "hours": 1.0},
    ]


def test_a_narrower_period(vcity, data):
    figures = volunteer_figures(start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert figures["totals"] == {"registered": 3, "new_registered": 1, "active": 2, "person_times": 2, "hours": 6.0}


def test_figures_page_and_api(client, vcity, data):
    client.force_login(vcity.unit2)  # anyone signed in reads the figures
    body = client.get("/api/v1/volunteer-figures/?start=2026-03-01&end=2026-05-31").json()
    assert body["totals"]["person_times"] == 5 and body["totals"]["hours"] == 10.5
    html = client.get("/volunteers/figures/?start=2026-03-01&end=2026-05-31").content.decode()
    assert "志愿服务时长" in html and "10.5" in html and "红小帽" in html
    client.logout()
    assert client.get("/api/v1/volunteer-figures/").status_code in (401, 403)
