import pytest
from django.urls import reverse

from core.exceptions import NotPermitted
from evaluation.data.evaluation_sample import HEADERS, ROWS
from evaluation.models import EvaluationItem
from evaluation.services import evaluation_import, evaluation_load_sample
from inspections.models import SiteType
from tests.uploads import xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(make_user):
    from core.roles import Role
    from inspections.sites.services import reference_data_load

    reference_data_load()
    return make_user("office", Role.OFFICE)


def test_sample_imports_the_whole_tree_with_site_types(office):
    result = evaluation_load_sample(actor=office)
    assert result.ok
    projects = {r[0] for r in ROWS}
    contents = {r[2] for r in ROWS}
    assert EvaluationItem.objects.filter(level="project").count() == len(projects)
    assert EvaluationItem.objects.filter(level="content").count() == len(contents)
    assert EvaluationItem.objects.filter(level="standard").count() == len(ROWS)
    assert result.created == len(projects) + len(contents) + len(ROWS)
    standard = EvaluationItem.objects.get(code="P010201")
    assert standard.parent.code == "P0102" and standard.parent.parent.code == "P01"
    assert list(standard.methods.values_list("method", flat=True)) == ["field"] and standard.max_score == 3
    assert set(standard.site_types.values_list("code", flat=True)) == {
        "farmers_market",
        "back_alley",
        "commercial_street",
        "urban_rural_fringe",
    }
    assert list(EvaluationItem.objects.get(code="P040301").methods.values_list("method", flat=True)) == [
        "questionnaire"
    ]
    assert set(EvaluationItem.objects.get(code="P050101").methods.values_list("method", flat=True)) == {
        "field",
        "material",
        "briefing",
    }
    # Every site type of the sample has a checklist.
    assert SiteType.objects.filter(standards__isnull=True).count() == 0


def test_import_again_updates_in_place(office):
    evaluation_load_sample(actor=office)
    rows = [list(r) for r in ROWS]
    rows[0][5] = "改过的标准文字"
    rows[0][8] = "交通路口"
    result = evaluation_import(actor=office, file=xlsx(HEADERS, rows))
    assert result.ok and result.created == 0
    item = EvaluationItem.objects.get(code=rows[0][4])
    assert item.text == "改过的标准文字"
    assert list(item.site_types.values_list("code", flat=True)) == ["intersection"]


def test_bad_rows_are_all_reported_and_nothing_is_imported(office):
    good = list(ROWS[0])
    rows = [
        good,
        ["P01", "公共秩序", "P0101", "交通秩序", "", "没有编码的标准", "实地考察", 2, ""],  # row 3: empty code
        ["P01", "公共秩序", "P0101", "交通秩序", "X1", "方法不对", "拍脑袋", 2, ""],  # row 4: method
        ["P01", "公共秩序", "P0101", "交通秩序", "X2", "分值不对", "实地考察", "三分", ""],  # row 5: score
        ["P01", "公共秩序", "P0101", "交通秩序", "X3", "类型不对", "实地考察", 1, "火星基地"],  # row 6: site type
        [*good[:4], good[4], "重复的标准", "实地考察", 1, ""],  # row 7: duplicate
        ["P01", "另一个名字", "P0101", "交通秩序", "X4", "项目名称冲突", "实地考察", 1, ""],  # row 8: project name
        ["P02", "城市环境", "P0101", "交通秩序", "X5", "内容挂错项目", "实地考察", 1, ""],  # row 9: content parent
        ["P01", "公共秩序", "P0101", "交通秩序", "P01", "编码与项目相同", "实地考察", 1, ""],  # row 10: level clash
    ]
    result = evaluation_import(actor=office, file=xlsx(HEADERS, rows))
    assert not result.ok
    assert [e.row for e in result.errors] == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = {e.row: e.message for e in result.errors}
    assert "标准编码" in messages[3]
    assert "拍脑袋" in messages[4]
    assert "三分" in messages[5]
    assert "火星基地" in messages[6]
    assert good[4] in messages[7] and "2" in messages[7]
    assert EvaluationItem.objects.count() == 0


def test_missing_column_and_not_a_workbook(office):
    result = evaluation_import(actor=office, file=xlsx(HEADERS[:4], [ROWS[0][:4]]))
    assert not result.ok and result.errors[0].row is None and "标准编码" in result.errors[0].message
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = evaluation_import(actor=office, file=SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert not result.ok and result.errors[0].row is None
    assert EvaluationItem.objects.count() == 0


def test_english_headers_are_accepted(office):
    headers = [
        "Project code",
        "Project",
        "Content code",
        "Content",
        "Standard code",
        "Standard",
        "Method",
        "Score",
        "Applicable site types",
    ]
    result = evaluation_import(
        actor=office, file=xlsx(headers, [["A", "项目", "A1", "内容", "A1-1", "标准", "field", 2, "main_road"]])
    )
    assert result.ok, result.errors
    assert EvaluationItem.objects.get(code="A1-1").site_types.get().code == "main_road"


def test_only_the_office_imports(office, make_user):
    from core.roles import Role

    supervisor = make_user("sup", Role.SUPERVISOR)
    with pytest.raises(NotPermitted):
        evaluation_import(actor=supervisor, file=xlsx(HEADERS, ROWS))


def test_import_page_shows_row_errors_and_imports_nothing(client, office):
    client.force_login(office)
    bad = xlsx(HEADERS, [list(ROWS[0]), ["P01", "公共秩序", "P0101", "交通秩序", "X1", "方法不对", "拍脑袋", 2, ""]])
    response = client.post(reverse("evaluation:item_import"), {"file": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "拍脑袋" in html and '<td class="num">3</td>' in html
    assert EvaluationItem.objects.count() == 0
    response = client.post(reverse("evaluation:item_import"), {"file": xlsx(HEADERS, ROWS)})
    assert response.status_code == 302
    tree = client.get(reverse("evaluation:item_tree")).content.decode()
    assert "P010101" in tree and "公共秩序" in tree


def test_supervisor_reads_the_tree_but_cannot_import(client, office, make_user):
    from core.roles import Role

    evaluation_load_sample(actor=office)
    client.force_login(make_user("sup", Role.SUPERVISOR))
    assert client.get(reverse("evaluation:item_tree")).status_code == 200
    response = client.post(reverse("evaluation:item_import"), {"file": xlsx(HEADERS, ROWS)})
    assert response.status_code == 403
    assert client.post(reverse("evaluation:item_load_sample")).status_code == 403
