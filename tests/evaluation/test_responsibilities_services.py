"""The responsibility list's services: the office writes, every other role is refused (403) and nothing changes;
销号 and reopen move once (409 the second time); the .xlsx import reports every bad row with its number and writes
nothing until the file is clean; re-importing updates in place."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import InvalidTransition, NotPermitted
from evaluation.models import Responsibility
from evaluation.responsibilities import services
from tests.evaluation.responsibilities_world import city, soon  # noqa: F401
from tests.uploads import xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["标准编码", "测评方法", "牵头单位", "责任单位", "具体任务", "完成时限"]


def _create(city, **overrides):
    data = {
        "actor": city["users"]["office"],
        "standard": city["standards"]["field"],
        "lead_unit": city["units"]["a"],
        "units": [city["units"]["b"]],
        "task": "清理占道经营",
        "method": "field",
        "deadline": soon(10),
    }
    data.update(overrides)
    return services.responsibility_create(**data)


def test_office_creates_updates_marks_done_reopens_and_deletes(city):
    office = city["users"]["office"]
    duty = _create(city)
    assert list(duty.units.all()) == [city["units"]["b"]]
    assert duty.history.first().history_user == office
    services.responsibility_update(
        actor=office,
        responsibility=duty,
        standard=city["standards"]["both"],
        lead_unit=city["units"]["c"],
        units=[city["units"]["a"], city["units"]["a"], city["units"]["b"]],
        task="  明码标价检查  ",
        method="material",
        deadline=None,
    )
    duty.refresh_from_db()
    assert (duty.standard, duty.lead_unit, duty.task, duty.method, duty.deadline) == (
        city["standards"]["both"],
        city["units"]["c"],
        "明码标价检查",
        "material",
        None,
    )
    assert set(duty.units.all()) == {city["units"]["a"], city["units"]["b"]}

    services.responsibility_mark_done(actor=office, responsibility=duty)
    duty.refresh_from_db()
    assert duty.done_at is not None and duty.done_by == office
    with pytest.raises(InvalidTransition):
        services.responsibility_mark_done(actor=office, responsibility=duty)
    services.responsibility_reopen(actor=office, responsibility=duty)
    duty.refresh_from_db()
    assert duty.done_at is None and duty.done_by is None
    with pytest.raises(InvalidTransition):
        services.responsibility_reopen(actor=office, responsibility=duty)
    services.responsibility_delete(actor=office, responsibility=duty)
    assert not Responsibility.objects.exists()
    assert Responsibility.history.filter(id=duty.pk, history_type="-").exists()


@pytest.mark.parametrize("role", ["leader", "unit", "unit2", "unit3"])
def test_every_other_role_is_refused_and_nothing_changes(city, role):
    duty = _create(city)
    actor = city["users"][role]
    before = Responsibility.objects.values().get(pk=duty.pk)
    calls = [
        lambda: _create(city, actor=actor),
        lambda: services.responsibility_update(
            actor=actor,
            responsibility=duty,
            standard=duty.standard,
            lead_unit=duty.lead_unit,
            units=[],
            task="改",
            method="field",
        ),
        lambda: services.responsibility_delete(actor=actor, responsibility=duty),
        lambda: services.responsibility_mark_done(actor=actor, responsibility=duty),
        lambda: services.responsibility_reopen(actor=actor, responsibility=duty),
        lambda: services.responsibility_import(actor=actor, file=xlsx(HEADERS, [])),
    ]
    for call in calls:
        with pytest.raises(NotPermitted):
            call()
    assert Responsibility.objects.count() == 1
    assert Responsibility.objects.values().get(pk=duty.pk) == before
    assert list(duty.units.all()) == [city["units"]["b"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"standard": "content"}, "standard"),
        ({"task": "   "}, "task"),
        ({"task": "长" * 2001}, "task"),
        ({"method": "material"}, "method"),  # the field-only standard is not collected by material
        ({"method": "nonsense"}, "method"),
        ({"lead_unit": None}, "lead_unit"),
        ({"deadline": datetime.date(1800, 1, 1)}, "deadline"),
    ],
)
def test_bad_fields_answer_a_field_message_and_write_nothing(city, overrides, field):
    if overrides.get("standard") == "content":
        overrides["standard"] = city["content"]
    with pytest.raises(ValidationError) as raised:
        _create(city, **overrides)
    assert field in raised.value.message_dict
    assert not Responsibility.objects.exists()


# --- Import --------------------------------------------------------------------------------------------------------


def _good_rows():
    return [
        ["P010201", "实地考察", "城管局", "南关街道办、UC", "清理占道经营", "2026-05-31"],
        ["P010202", "材料审核", "UC", "南关街道办；城管局", "明码标价台账", datetime.datetime(2026, 6, 15)],
        ["P010203", "", "市场监管局", "", "建立管理制度", "2026年6月30日"],  # one method: it is taken
    ]


def test_import_creates_duties_and_reimport_updates_in_place(city):
    office = city["users"]["office"]
    result = services.responsibility_import(actor=office, file=xlsx(HEADERS, _good_rows()))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (3, 0)
    first = Responsibility.objects.get(task="清理占道经营")
    assert first.lead_unit == city["units"]["a"] and first.method == "field"
    assert set(first.units.values_list("code", flat=True)) == {"UB", "UC"}
    assert first.deadline == datetime.date(2026, 5, 31)
    third = Responsibility.objects.get(task="建立管理制度")
    assert third.method == "material" and third.deadline == datetime.date(2026, 6, 30)

    services.responsibility_mark_done(actor=office, responsibility=first)
    rows = _good_rows()
    rows[0][3] = "南关街道办"
    rows[0][5] = "2026/7/1"
    rows.append(["P010201", "实地考察", "城管局", "", "新增巡查任务", ""])
    result = services.responsibility_import(actor=office, file=xlsx(HEADERS, rows))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.details["unchanged"]) == (1, 1, 2)
    assert Responsibility.objects.count() == 4
    first.refresh_from_db()
    assert list(first.units.values_list("code", flat=True)) == ["UB"]
    assert first.deadline == datetime.date(2026, 7, 1)
    assert first.done_at is not None  # 销号 is not in the file: kept


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_imported(city):
    rows = _good_rows() + [
        ["P999999", "实地考察", "城管局", "", "未知标准", ""],  # row 5
        ["P0102", "实地考察", "城管局", "", "内容不是标准", ""],  # row 6
        ["P010201", "实地考察", "不存在的局", "", "未知牵头单位", ""],  # row 7
        ["P010201", "实地考察", "城管局", "南关街道办、火星办", "未知责任单位", ""],  # row 8
        ["P010201", "实地考察", "城管局", "", "时限不对", "下个月"],  # row 9
        ["P010201", "实地考察", "城管局", "", "时限不存在", "2026-02-30"],  # row 10
        ["P010201", "材料审核", "城管局", "", "方法不是该标准的", ""],  # row 11
        ["P010201", "看一看", "城管局", "", "未知方法", ""],  # row 12
        ["P010202", "", "城管局", "", "多方法未填", ""],  # row 13
        ["P010201", "实地考察", "城管局", "南关街道办、UC", "清理占道经营", "2026-05-31"],  # row 14: twice
        ["", "实地考察", "城管局", "", "", ""],  # row 15
    ]
    result = services.responsibility_import(actor=city["users"]["office"], file=xlsx(HEADERS, rows))
    assert not result.ok
    by_row = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append(error.message)
    assert sorted(by_row) == list(range(5, 16))
    assert "P999999" in by_row[5][0]
    assert "P0102" in by_row[6][0]
    assert "不存在的局" in by_row[7][0]
    assert "火星办" in by_row[8][0] and "南关街道办" not in by_row[8][0]
    assert "下个月" in by_row[9][0]
    assert "2026-02-30" in by_row[10][0]
    assert "P010201" in by_row[11][0]
    assert "看一看" in by_row[12][0]
    assert "P010202" in by_row[13][0]
    assert "2" in by_row[14][0]  # first on row 2
    assert len(by_row[15]) == 1
    assert not Responsibility.objects.exists()


def test_a_file_that_is_not_a_workbook_or_lacks_columns(city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = city["users"]["office"]
    result = services.responsibility_import(actor=office, file=SimpleUploadedFile("a.xlsx", b"not a workbook"))
    assert not result.ok and result.errors[0].row is None
    result = services.responsibility_import(actor=office, file=xlsx(["标准编码", "具体任务"], [["P010201", "任务"]]))
    assert not result.ok and "牵头单位" in result.errors[0].message
    assert not Responsibility.objects.exists()


def test_english_headers_are_read_too(city):
    headers = ["Standard code", "Method", "Lead unit", "Responsible units", "Task", "Deadline"]
    result = services.responsibility_import(
        actor=city["users"]["office"], file=xlsx(headers, [["P010201", "field", "UA", "UB", "任务", "2026-5-1"]])
    )
    assert result.ok, result.errors
    assert Responsibility.objects.get().deadline == datetime.date(2026, 5, 1)


def test_sample_workbook_imports_where_its_units_exist(city):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(services.responsibility_sample_workbook()))
    assert [c.value for c in book.active[1]] == HEADERS
