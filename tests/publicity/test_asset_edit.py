"""Editing a publicity asset: the service (office only, the same validation as adding one, only changed fields,
a history row naming the actor, nothing for no change), the edit page and the API, and the change history on the
asset's page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.exceptions import NotPermitted
from publicity.models import Asset
from publicity.services import asset_check_record, asset_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def asset(vcity, make_asset):
    return make_asset(site=vcity.site_a, kind="public_ad", theme="讲文明 树新风", quantity=2)


def form_data(asset, **changes):
    """The edit form as the page fills it from the asset, with some fields changed."""
    data = {
        "code": asset.code,
        "kind": asset.kind,
        "theme": asset.theme,
        "site": asset.site_id or "",
        "address": asset.address,
        "lat": asset.lat if asset.lat is not None else "",
        "lng": asset.lng if asset.lng is not None else "",
        "region": asset.region_id,
        "quantity": asset.quantity,
        "unit": asset.unit_id,
        "installed_on": asset.installed_on.isoformat() if asset.installed_on else "",
    }
    data.update(changes)
    return data


def snapshot(asset):
    return Asset.objects.filter(pk=asset.pk).values().get()


# --- The service ------------------------------------------------------------------------------------------


def test_office_edits_and_history_names_them(vcity, asset):
    assert [(h.history_type, h.history_user) for h in asset.history.all()] == [("+", vcity.office)]
    with CaptureQueriesContext(connection) as queries:
        updated = asset_update(
            actor=vcity.office,
            asset=asset,
            theme=" 垃圾分类 从我做起 ",
            quantity=5,
            kind="flag",
            installed_on=date(2026, 3, 1),
        )
    assert (updated.theme, updated.quantity, updated.kind, updated.installed_on) == (
        "垃圾分类 从我做起",
        5,
        "flag",
        date(2026, 3, 1),
    )
    asset.refresh_from_db()
    assert (asset.theme, asset.quantity, asset.kind) == ("垃圾分类 从我做起", 5, "flag")
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 1
    (update_sql,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "publicity_asset"')]
    set_clause = update_sql.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert sorted(part.split(" = ")[0].strip('"') for part in set_clause.split(", ")) == [
        "installed_on",
        "kind",
        "quantity",
        "theme",
    ]  # update_fields: only what changed
    latest = asset.history.first()
    assert latest.history_type == "~" and latest.history_user == vcity.office
    changed = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert changed == {
        "theme": ("讲文明 树新风", "垃圾分类 从我做起"),
        "quantity": (2, 5),
        "kind": ("public_ad", "flag"),
        "installed_on": (None, date(2026, 3, 1)),
    }


def test_no_change_writes_nothing(vcity, asset):
    with CaptureQueriesContext(connection) as queries:
        asset_update(
            actor=vcity.office,
            asset=asset,
            theme=asset.theme,
            quantity=asset.quantity,
            site=vcity.site_a,
            region=asset.region,
            unit=asset.unit,
        )
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    asset_update(actor=vcity.office, asset=asset)
    assert asset.history.count() == 1


def test_moving_to_another_site_takes_its_region_unit_and_position(vcity, asset):
    asset_update(actor=vcity.office, asset=asset, site=vcity.site_b)
    asset.refresh_from_db()
    assert (asset.site, asset.region, asset.unit, asset.lat, asset.lng) == (
        vcity.site_b,
        vcity.site_b.region,
        vcity.unit_b,
        vcity.site_b.lat,
        vcity.site_b.lng,
    )
    # What is given with the move stays as given.
    asset_update(actor=vcity.office, asset=asset, site=vcity.site_a, unit=vcity.unit_b, lat=40.0712, lng=113.3011)
    asset.refresh_from_db()
    assert (asset.site, asset.region, asset.unit, asset.lat, asset.lng) == (
        vcity.site_a,
        vcity.site_a.region,
        vcity.unit_b,
        40.0712,
        113.3011,
    )
    # Leaving the site keeps the position, which then is the place.
    asset_update(actor=vcity.office, asset=asset, site=None, address="南关路口")
    asset.refresh_from_db()
    assert asset.site is None and asset.point == (40.0712, 113.3011) and asset.place == "南关路口"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"quantity": 0}, "quantity"),
        ({"site": None, "lat": None, "lng": None}, "site"),
        ({"theme": "  "}, "theme"),
        ({"kind": "rocket"}, "kind"),
        ({"code": ""}, "code"),
        ({"site": None, "lat": 95.0, "lng": 113.0}, "lat"),
    ],
)
def test_bad_input_changes_nothing(vcity, asset, changes, field):
    before = snapshot(asset)
    with pytest.raises(ValidationError) as exc:
        asset_update(actor=vcity.office, asset=asset, **changes)
    assert field in exc.value.message_dict
    assert snapshot(asset) == before and asset.history.count() == 1


def test_code_stays_unique(vcity, asset, make_asset):
    other = make_asset(site=vcity.site_b, code="XC-OTHER")
    with pytest.raises(ValidationError) as exc:
        asset_update(actor=vcity.office, asset=asset, code="XC-OTHER")
    assert "code" in exc.value.message_dict
    asset_update(actor=vcity.office, asset=other, code="XC-OTHER")  # its own code is no clash
    asset_update(actor=vcity.office, asset=asset, code=" XC-NEW ")
    asset.refresh_from_db()
    assert asset.code == "XC-NEW"


def test_only_office_edits_and_condition_is_not_editable(vcity, asset):
    for user in (vcity.supervisor, vcity.unit, vcity.leader):
        with pytest.raises(NotPermitted):
            asset_update(actor=user, asset=asset, theme="改一下")
    with pytest.raises(TypeError):
        asset_update(actor=vcity.office, asset=asset, condition="good")  # checks and closed tickets set it
    assert Asset.objects.get(pk=asset.pk).theme == "讲文明 树新风"


def test_checks_do_not_write_history(vcity, asset):
    asset_check_record(actor=vcity.office, asset=asset, condition="damaged")
    asset.refresh_from_db()
    assert asset.condition == "damaged" and asset.history.count() == 1
    asset_update(actor=vcity.office, asset=asset, quantity=3)
    latest = asset.history.first()
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["quantity"]
    asset.refresh_from_db()
    assert asset.condition == "damaged" and asset.open_ticket is not None  # the edit leaves them alone


# --- The edit page ----------------------------------------------------------------------------------------


def test_office_edits_on_the_page(client, vcity, asset):
    client.force_login(vcity.office)
    page = client.get(f"/publicity/assets/{asset.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"编辑 {asset.code}" in html and 'value="讲文明 树新风"' in html and 'name="photos"' not in html
    response = client.post(
        f"/publicity/assets/{asset.pk}/edit/", form_data(asset, theme="文明交通 你我同行", quantity=4)
    )
    assert response.status_code == 302 and response["Location"] == f"/publicity/assets/{asset.pk}/"
    asset.refresh_from_db()
    assert (asset.theme, asset.quantity, asset.condition) == ("文明交通 你我同行", 4, "good")
    latest = asset.history.first()
    assert latest.history_type == "~" and latest.history_user == vcity.office
    detail = client.get(response["Location"]).content.decode()
    assert "宣传阵地已保存。" in detail
    assert "变更记录" in detail and vcity.office.display_name in detail
    assert "讲文明 树新风</del>" in detail and "文明交通 你我同行</strong>" in detail


def test_unchanged_form_writes_no_history(client, vcity, asset):
    client.force_login(vcity.office)
    response = client.post(f"/publicity/assets/{asset.pk}/edit/", form_data(asset), follow=True)
    assert response.redirect_chain[-1][0] == f"/publicity/assets/{asset.pk}/"
    assert "没有修改任何内容。" in response.content.decode()
    assert asset.history.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"quantity": 0}, "quantity"),
        ({"site": "", "lat": "", "lng": ""}, "site"),
    ],
)
def test_page_shows_the_error_and_changes_nothing(client, vcity, asset, changes, field):
    client.force_login(vcity.office)
    before = snapshot(asset)
    response = client.post(f"/publicity/assets/{asset.pk}/edit/", form_data(asset, theme="不该保存", **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert {"quantity": "数量至少为1。", "site": "请选择点位，或填写位置"}[field] in html
    assert f"编辑 {asset.code}" in html and 'value="不该保存"' in html  # the user's input stays in the form
    assert snapshot(asset) == before and asset.history.count() == 1


def test_others_get_403_and_outside_scope_404(client, vcity, asset, make_asset):
    other_unit_asset = make_asset(site=vcity.site_b, theme="乙单位的宣传栏")
    for user in (vcity.supervisor, vcity.unit, vcity.leader):
        client.force_login(user)
        assert client.get(f"/publicity/assets/{asset.pk}/edit/").status_code == 403
        assert client.post(f"/publicity/assets/{asset.pk}/edit/", form_data(asset, theme="改了")).status_code == 403
    client.force_login(vcity.unit)  # unit B's asset is not theirs to see
    assert client.get(f"/publicity/assets/{other_unit_asset.pk}/edit/").status_code == 404
    client.force_login(vcity.supervisor)  # 北关 is outside the supervisor's regions
    assert client.get(f"/publicity/assets/{other_unit_asset.pk}/edit/").status_code == 404
    client.force_login(vcity.office)
    assert client.get("/publicity/assets/999999/edit/").status_code == 404
    client.logout()
    assert client.get(f"/publicity/assets/{asset.pk}/edit/").status_code == 302  # to the login page
    assert Asset.objects.get(pk=asset.pk).theme == "讲文明 树新风"


def test_edit_button_only_for_office(client, vcity, asset):
    edit_url = f'href="/publicity/assets/{asset.pk}/edit/"'
    client.force_login(vcity.office)
    assert edit_url in client.get(f"/publicity/assets/{asset.pk}/").content.decode()
    for user in (vcity.supervisor, vcity.unit, vcity.leader):
        client.force_login(user)
        html = client.get(f"/publicity/assets/{asset.pk}/").content.decode()
        assert edit_url not in html and "变更记录" in html


def test_edit_page_query_count(client, vcity, asset, make_asset, django_assert_num_queries):
    for n in range(5):
        make_asset(site=vcity.site_b if n % 2 else vcity.site_a)
    client.force_login(vcity.office)
    # overhead 5 (session, user, session refresh) + notifications 1 + the asset with site/region/unit 1
    # + the choices of site, region and unit 3
    with django_assert_num_queries(10):
        response = client.get(f"/publicity/assets/{asset.pk}/edit/")
    assert response.status_code == 200


# --- The API ----------------------------------------------------------------------------------------------


def test_api_patch_and_put_by_office(client, vcity, asset):
    client.force_login(vcity.office)
    url = f"/api/v1/publicity-assets/{asset.pk}/"
    response = client.patch(
        url, {"theme": "诚信经营 文明守法", "quantity": 6, "condition": "missing"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["theme"], body["quantity"], body["condition"]) == (
        "诚信经营 文明守法",
        6,
        "good",
    )  # condition read-only
    latest = Asset.objects.get(pk=asset.pk).history.first()
    assert latest.history_type == "~" and latest.history_user == vcity.office
    response = client.put(
        url,
        {"kind": "poster", "theme": "光盘行动", "site": vcity.site_b.pk, "quantity": 1},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["kind"], body["site"], body["unit"], body["region"]) == (
        "poster",
        vcity.site_b.pk,
        vcity.unit_b.pk,
        vcity.site_b.region_id,
    )
    assert body["code"] == asset.code  # left out: kept
    count = Asset.objects.get(pk=asset.pk).history.count()
    assert client.patch(url, {"theme": "光盘行动"}, content_type="application/json").status_code == 200
    assert Asset.objects.get(pk=asset.pk).history.count() == count  # no change, no row


def test_api_refuses_others_bad_input_and_outside_scope(client, vcity, asset, make_asset):
    other_unit_asset = make_asset(site=vcity.site_b)
    url = f"/api/v1/publicity-assets/{asset.pk}/"
    for user in (vcity.supervisor, vcity.unit, vcity.leader):
        client.force_login(user)
        assert client.patch(url, {"theme": "改了"}, content_type="application/json").status_code == 403
        assert client.patch(url, {"quantity": 0}, content_type="application/json").status_code == 403
        assert client.get(url).status_code == 200
    client.force_login(vcity.unit)
    response = client.patch(
        f"/api/v1/publicity-assets/{other_unit_asset.pk}/", {"theme": "改了"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/publicity-assets/",
        {"kind": "flag", "theme": "新的", "site": vcity.site_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 403 and Asset.objects.count() == 2
    client.force_login(vcity.office)
    response = client.patch(
        url, {"quantity": 0, "theme": "不该保存"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and response.json() == {"quantity": ["The quantity must be at least 1."]}
    response = client.patch(url, {"site": None, "lat": None, "lng": None}, content_type="application/json")
    assert response.status_code == 400 and "site" in response.json()
    assert client.delete(url).status_code == 405
    assert Asset.objects.get(pk=asset.pk).theme == "讲文明 树新风" and asset.history.count() == 1
