from datetime import date

import pytest

from core.exceptions import NotPermitted
from tests.volunteers.builders import valid_id, xlsx
from volunteers.models import TeamMembership, Volunteer
from volunteers.services import ImportRejected, id_number_is_valid, volunteer_import

pytestmark = pytest.mark.django_db


def test_id_number_checksum():
    good = valid_id(7)
    assert id_number_is_valid(good)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert not id_number_is_valid(wrong_check)
    assert not id_number_is_valid(good[:17])
    assert not id_number_is_valid("14020219901301" + good[14:])  # month 13


def test_a_clean_file_is_imported_with_teams(vcity):
    file = xlsx(
        [
            ("张三", "男", "13900000001", valid_id(1), "南关街道", "是", "2026-03-01", "红小帽"),
            ("李四", "女", "13900000002", valid_id(2), "", "否", None, "红小帽、北关志愿队"),
        ]
    )
    assert volunteer_import(actor=vcity.office, file=file) == 2
    zhang = Volunteer.objects.get(phone="13900000001")
    assert zhang.region == vcity.street_a and zhang.is_party_member and zhang.registered_on == date(2026, 3, 1)
    li = Volunteer.objects.get(phone="13900000002")
    assert set(li.teams.values_list("name", flat=True)) == {"红小帽", "北关志愿队"}
    assert TeamMembership.objects.count() == 3
    created = Volunteer.history.filter(phone__in=["13900000001", "13900000002"])
    assert [(h.history_type, h.history_user) for h in created] == [("+", vcity.office)] * 2


def test_every_bad_row_is_reported_and_nothing_is_imported(vcity, add_volunteer):
    existing = add_volunteer("老王")
    bad_check = valid_id(5)[:17] + ("0" if valid_id(5)[17] != "0" else "1")
    file = xlsx(
        [
            ("张三", "男", "13900000001", valid_id(1), "", "否", None, ""),  # row 2: fine
            ("", "男", "13900000002", valid_id(2), "", "否", None, ""),  # row 3: no name
            ("王五", "男", "1390000", valid_id(3), "", "否", None, ""),  # row 4: bad phone
            ("赵六", "女", "13900000004", bad_check, "", "否", None, ""),  # row 5: bad checksum
            ("钱七", "女", "13900000005", valid_id(1), "", "否", None, ""),  # row 6: same ID as row 2
            ("孙八", "女", "13900000006", existing.id_number, "", "否", None, ""),  # row 7: ID already registered
            ("周九", "男", "13900000007", valid_id(8), "", "否", None, "不存在队"),  # row 8: unknown team
            ("吴十", "未知", "13900000008", valid_id(9), "火星", "也许", "昨天", ""),  # row 9: four problems
        ]
    )
    with pytest.raises(ImportRejected) as caught:
        volunteer_import(actor=vcity.office, file=file)
    errors = dict(caught.value.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "姓名" in errors[3] or "name" in errors[3]
    assert "1390000" in errors[4]
    assert bad_check in errors[5]
    assert "2" in errors[6]
    assert "已" in errors[7] or "already" in errors[7]
    assert "不存在队" in errors[8]
    assert errors[9].count(";") == 3 and "火星" in errors[9]
    assert Volunteer.objects.count() == 1  # only the one registered before


def test_missing_columns_and_not_a_workbook(vcity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ImportRejected) as caught:
        volunteer_import(actor=vcity.office, file=xlsx([("张三",)], headers=("姓名",)))
    assert caught.value.errors[0][0] == 1
    with pytest.raises(ImportRejected):
        volunteer_import(actor=vcity.office, file=SimpleUploadedFile("v.xlsx", b"not a workbook"))
    assert Volunteer.objects.count() == 0


def test_english_headers_are_accepted(vcity):
    file = xlsx(
        [("Zhang San", "male", "13900000001", valid_id(1), "", "no", "", "")],
        headers=("Name", "Gender", "Phone", "ID number", "Region", "Party member", "Registered on", "Teams"),
    )
    assert volunteer_import(actor=vcity.office, file=file) == 1


def test_only_the_office_imports(vcity):
    with pytest.raises(NotPermitted):
        volunteer_import(actor=vcity.unit, file=xlsx([]))


def test_import_page_lists_the_rows_in_chinese_and_in_english(client, vcity):
    client.force_login(vcity.office)
    file = xlsx([("", "男", "139", valid_id(2), "", "否", None, "")])
    html = client.post("/volunteers/people/import/", {"file": file}).content.decode()
    assert "没有导入任何数据" in html and "缺少姓名" in html and "“139”不是11位手机号码" in html
    file = xlsx([("", "男", "139", valid_id(2), "", "否", None, "")])
    html = client.post("/volunteers/people/import/", {"file": file}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "nothing was imported" in html and "the name is missing" in html
    assert Volunteer.objects.count() == 0
    good = xlsx([("张三", "男", "13900000001", valid_id(1), "", "否", None, "")])
    response = client.post("/volunteers/people/import/", {"file": good})
    assert response.status_code == 302 and Volunteer.objects.count() == 1
    client.force_login(vcity.unit)
    assert client.get("/volunteers/people/import/").status_code == 403
