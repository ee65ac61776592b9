import pytest

from campaign.models import Unit

pytestmark = pytest.mark.django_db


def test_office_edit_on_the_page_writes_a_history_row_with_the_acting_user(client, users, units, city):
    unit = units["wd"]
    office = users["office"]
    office.first_name = "曹刚"
    office.save()
    client.force_login(office)
    response = client.post(
        f"/campaign/units/{unit.pk}/edit/",
        {
            "name": "魏都社区居民委员会",
            "code": "SQ-001",
            "kind": "community",
            "region": city["c1"].pk,
            "civilized_level": "municipal",
            "civilized_year": "2024",
            "contact_name": "",
            "contact_phone": "",
            "address": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    latest = Unit.history.filter(id=unit.pk).order_by("-history_date").first()
    assert latest.history_type == "~" and latest.history_user == office
    assert latest.name == "魏都社区居民委员会" and latest.civilized_level == "municipal"
    assert Unit.history.filter(id=unit.pk).count() == 2

    page = client.get(unit.get_absolute_url()).content.decode()
    assert "变更记录" in page and "曹刚" in page
    assert "魏都社区居委会" in page and "魏都社区居民委员会" in page  # old and new value of the name
    assert "市级文明单位" in page


def test_saving_an_unchanged_unit_writes_no_history(client, users, units, city):
    client.force_login(users["office"])
    unit = units["ng"]
    client.post(
        f"/campaign/units/{unit.pk}/edit/",
        {
            "name": unit.name,
            "code": unit.code,
            "kind": unit.kind,
            "region": unit.region_id,
            "civilized_level": "",
            "civilized_year": "",
            "contact_name": "",
            "contact_phone": "",
            "address": "",
            "is_active": "on",
        },
    )
    assert Unit.history.filter(id=unit.pk).count() == 1


def test_body_history_names_the_regions_added_and_the_acting_user(client, users, structure, city):
    group = structure["group"]
    before = group.history.count()
    client.force_login(users["office"])
    response = client.post(
        f"/campaign/bodies/{group.pk}/edit/",
        {
            "name": group.name,
            "kind": group.kind,
            "parent": structure["hq"].pk,
            "duty": "督导南关、北关街道",
            "sort_order": 0,
            "regions": [city["s1"].pk, city["s2"].pk],
        },
    )
    assert response.status_code == 302
    latest = group.history.order_by("-history_date").first()
    assert latest.history_user == users["office"]
    assert group.history.count() == before + 1  # one edit, one history row
    page = client.get(group.get_absolute_url()).content.decode()
    assert "责任区域" in page and "北关街道" in page
    from django.utils import translation

    from campaign.selectors import history_entries

    (change, *_older) = history_entries(group)
    with translation.override("en"):
        fields = {str(c["field"]): c for c in change["changes"]}
    assert "北关街道" in fields["regions in scope"]["new"] and "北关街道" not in fields["regions in scope"]["old"]
    assert fields["duties"]["new"] == "督导南关、北关街道"
