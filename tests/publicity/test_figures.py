from datetime import date

import pytest

from core.scope import CITY_WIDE
from publicity.selectors import publicity_figures
from publicity.services import asset_check_record, post_create, printed_material_record, theme_event_record

pytestmark = pytest.mark.django_db


def test_publicity_figures_against_hand_built_data(client, vcity, make_asset):
    a = make_asset(site=vcity.site_a, kind="flag", quantity=10)
    b = make_asset(site=vcity.site_a, kind="flag", quantity=5)
    make_asset(site=vcity.site_b, kind="poster", quantity=100)
    asset_check_record(actor=vcity.office, asset=a, condition="damaged")
    asset_check_record(actor=vcity.office, asset=a, condition="damaged")  # joins the ticket
    asset_check_record(actor=vcity.office, asset=b, condition="good")
    today = date.today()
    post_create(actor=vcity.office, channel="wechat", title="创城进行时", published_on=today, views=1200)
    post_create(actor=vcity.office, channel="douyin", title="文明交通", published_on=today, views=800)
    post_create(actor=vcity.office, channel="wechat", title="去年的", published_on=date(2020, 1, 1), views=5)
    printed_material_record(
        actor=vcity.office, kind="leaflet", quantity=8700, region=vcity.street_a, handed_out_on=today
    )
    printed_material_record(
        actor=vcity.office, kind="household_kit", quantity=6000, region=vcity.street_a, handed_out_on=today
    )
    theme_event_record(actor=vcity.office, title="文明实践日", held_on=today, participants=300)
    f = publicity_figures(user=CITY_WIDE, start=today.replace(day=1), end=today)
    assert f["assets"]["total"] == 3 and f["assets"]["quantity"] == 115 and f["assets"]["bad"] == 1
    kinds = {r["kind"]: r for r in f["assets"]["by_kind"]}
    assert kinds["flag"] == {"kind": "flag", "label": "迎风旗", "assets": 2, "quantity": 15, "bad": 1}
    assert kinds["poster"]["quantity"] == 100
    regions = {r["region"]: r["assets"] for r in f["assets"]["by_region"]}
    assert regions == {"南关社区": 2, "北关街道": 1}
    assert {r["condition"]: r["assets"] for r in f["assets"]["by_condition"]} == {"damaged": 1, "good": 2}
    assert f["checks"] == {"checks": 3, "problems": 2, "tickets_raised": 1}
    assert f["posts"]["posts"] == 2 and f["posts"]["views"] == 2000
    assert f["printed"]["quantity"] == 14700
    assert f["events"] == {"events": 1, "participants": 300}
    month = today.strftime("%Y-%m")
    assert f["by_month"] == [
        {"month": month, "checks": 3, "problems": 2, "tickets_raised": 1, "posts": 2, "views": 2000}
    ]
    # A unit liaison's figures are those of their own unit's assets (issue 10: they were the city's).
    from core.registry import visible_to
    from publicity.models import AssetCheck

    client.force_login(vcity.unit2)
    expected = visible_to(AssetCheck, vcity.unit2).count()
    assert client.get("/api/v1/publicity-figures/").json()["checks"]["checks"] == expected < 3


@pytest.mark.parametrize("query", ["start=2026-02-30", "start=2026-05-01&end=2026-04-01", "end=soon"])
def test_a_bad_period_is_an_error_on_the_page_and_the_api(client, vcity, query):
    client.force_login(vcity.leader)
    api = client.get(f"/api/v1/publicity-figures/?{query}")
    assert api.status_code == 400 and set(api.json()) & {"start", "end"}
    page = client.get(f"/publicity/figures/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and 'class="msg msg-error"' in page.content.decode()
    assert client.get("/publicity/figures/").status_code == 200
