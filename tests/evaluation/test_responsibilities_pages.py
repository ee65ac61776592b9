"""The responsibility list's pages for each role: the office's list (filters, export, import with row errors,
edit, 销号), a unit's "my responsibilities" (only its own duties, with progress from evidence) and its three lists;
the leader reads only. Query counts of the list pinned at two page sizes."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import Responsibility
from evaluation.responsibilities import services
from tests.evaluation.responsibilities_world import city, soon  # noqa: F401
from tests.uploads import xlsx

pytestmark = pytest.mark.django_db

LIST = reverse("evaluation:responsibility_list")
MINE = reverse("evaluation:responsibility_mine")
THREE = reverse("evaluation:responsibility_three_lists")


@pytest.fixture
def duties(city):
    office, units, standards = city["users"]["office"], city["units"], city["standards"]
    make = services.responsibility_create
    rows = {
        "a_lead": make(
            actor=office,
            standard=standards["field"],
            lead_unit=units["a"],
            units=[units["b"]],
            task="城管局牵头清理占道",
            method="field",
            deadline=soon(-3),
        ),
        "c_lead": make(
            actor=office,
            standard=standards["material"],
            lead_unit=units["c"],
            units=[units["a"]],
            task="监管局牵头建立制度",
            method="material",
            deadline=soon(5),
        ),
        "d_only": make(
            actor=office,
            standard=standards["both"],
            lead_unit=units["d"],
            units=[],
            task="云冈交通局独有任务",
            method="field",
            deadline=soon(40),
        ),
    }
    services.responsibility_mark_done(actor=office, responsibility=rows["c_lead"])
    return rows


def _client(client, city, role):
    client.force_login(city["users"][role])
    return client


def test_office_list_filters_and_export(client, city, duties):
    _client(client, city, "office")
    page = client.get(LIST).content.decode()
    for duty in duties.values():
        assert duty.task in page
    assert reverse("evaluation:responsibility_create") in page
    page = client.get(LIST, {"unit": city["units"]["a"].pk}).content.decode()
    assert "城管局牵头清理占道" in page and "监管局牵头建立制度" in page and "云冈交通局独有任务" not in page
    page = client.get(LIST, {"overdue": "true"}).content.decode()
    assert "城管局牵头清理占道" in page and "云冈交通局独有任务" not in page
    page = client.get(LIST, {"done": "true"}).content.decode()
    assert "监管局牵头建立制度" in page and "城管局牵头清理占道" not in page
    page = client.get(LIST, {"method": "material", "project": city["project"].pk}).content.decode()
    assert "监管局牵头建立制度" in page and "城管局牵头清理占道" not in page
    response = client.get(reverse("evaluation:responsibility_export"), {"unit": city["units"]["d"].pk})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("标准编码", "测评方法", "牵头单位", "责任单位", "具体任务", "完成时限")
    assert [r[4] for r in rows[1:]] == ["云冈交通局独有任务"]


def test_export_imports_again_unchanged(client, city, duties):
    """An export re-imports: nothing created, nothing updated; after deleting a duty, the same file brings it back."""
    _client(client, city, "office")
    content = client.get(reverse("evaluation:responsibility_export")).content
    office = city["users"]["office"]
    result = services.responsibility_import(actor=office, file=BytesIO(content))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.details["unchanged"]) == (0, 0, 3)
    services.responsibility_delete(actor=office, responsibility=duties["a_lead"])
    result = services.responsibility_import(actor=office, file=BytesIO(content))
    assert (result.created, result.updated) == (1, 0)
    again = Responsibility.objects.get(task="城管局牵头清理占道")
    assert again.deadline == duties["a_lead"].deadline and again.method == "field"
    assert list(again.units.all()) == [city["units"]["b"]]


def test_import_page_shows_every_row_error_and_imports_nothing(client, city):
    _client(client, city, "office")
    url = reverse("evaluation:responsibility_import")
    assert client.get(url).status_code == 200
    bad = xlsx(
        ["标准编码", "测评方法", "牵头单位", "责任单位", "具体任务", "完成时限"],
        [["P010201", "实地考察", "城管局", "", "好的行", ""], ["NOPE", "实地考察", "城管局", "", "坏的行", "明天"]],
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "NOPE" in page and "明天" in page and ">3<" in page
    assert not Responsibility.objects.exists()
    good = xlsx(["标准编码", "牵头单位", "具体任务"], [["P010201", "UA", "好的行"]])
    response = client.post(url, {"file": good})
    assert response.status_code == 302 and Responsibility.objects.get().task == "好的行"
    assert client.get(reverse("evaluation:responsibility_sample")).status_code == 200


def test_office_creates_edits_marks_done_and_deletes_on_pages(client, city, duties):
    _client(client, city, "office")
    data = {
        "standard": city["standards"]["both"].pk,
        "method": "material",
        "lead_unit": city["units"]["b"].pk,
        "units": [city["units"]["a"].pk],
        "task": "页面新建任务",
        "deadline": "2026-09-30",
    }
    response = client.post(reverse("evaluation:responsibility_create"), data)
    duty = Responsibility.objects.get(task="页面新建任务")
    assert response.status_code == 302 and response.url == reverse("evaluation:responsibility_detail", args=[duty.pk])
    response = client.post(reverse("evaluation:responsibility_update", args=[duty.pk]), {**data, "method": "online"})
    assert response.status_code == 400 and "method" in response.context["form"].errors
    response = client.post(
        reverse("evaluation:responsibility_update", args=[duty.pk]), {**data, "standard": city["standards"]["field"].pk}
    )
    assert response.status_code == 400  # the field-only standard is not collected by material
    detail = client.get(reverse("evaluation:responsibility_detail", args=[duty.pk])).content.decode()
    assert "页面新建任务" in detail and reverse("evaluation:responsibility_done", args=[duty.pk]) in detail
    client.post(reverse("evaluation:responsibility_done", args=[duty.pk]))
    duty.refresh_from_db()
    assert duty.done_at is not None
    response = client.post(reverse("evaluation:responsibility_done", args=[duty.pk]))  # twice: a message, no change
    assert response.status_code == 302
    client.post(reverse("evaluation:responsibility_reopen", args=[duty.pk]))
    duty.refresh_from_db()
    assert duty.done_at is None
    client.post(reverse("evaluation:responsibility_delete", args=[duty.pk]))
    assert not Responsibility.objects.filter(pk=duty.pk).exists()


@pytest.mark.parametrize("role", ["leader", "unit", "unit2"])
def test_other_roles_cannot_write_on_pages(client, city, duties, role):
    _client(client, city, role)
    duty = duties["a_lead"]  # visible to unit (lead) and unit2 (responsible) and the leader
    before = Responsibility.objects.values().get(pk=duty.pk)
    for name in ("responsibility_create", "responsibility_import"):
        assert client.get(reverse(f"evaluation:{name}")).status_code == 403
    for name in ("responsibility_update", "responsibility_done", "responsibility_delete"):
        assert client.post(reverse(f"evaluation:{name}", args=[duty.pk]), {"task": "x"}).status_code == 403
    assert Responsibility.objects.values().get(pk=duty.pk) == before
    page = client.get(reverse("evaluation:responsibility_detail", args=[duty.pk])).content.decode()
    assert reverse("evaluation:responsibility_done", args=[duty.pk]) not in page
    assert reverse("evaluation:responsibility_update", args=[duty.pk]) not in page


def test_duty_pages_out_of_scope_are_404(client, city, duties):
    _client(client, city, "unit2")
    duty = duties["d_only"]
    assert client.get(reverse("evaluation:responsibility_detail", args=[duty.pk])).status_code == 404
    assert (
        client.get(reverse("evaluation:responsibility_three_lists_unit", args=[city["units"]["d"].pk])).status_code
        == 404
    )
    assert client.get(reverse("evaluation:responsibility_three_lists_unit", args=[999999])).status_code == 404


def test_my_responsibilities_show_only_the_units_duties_with_progress(client, city, duties):
    from evaluation.models import MaterialRequirement, MaterialSubmission
    from inspections.models import Category, Site, SiteType, Ticket

    units = city["units"]
    # Material progress of unit_a on the material standard: two requirements, one accepted (a returned old version
    # and a draft don't count).
    reqs = []
    for title in ("制度文件", "情况说明"):
        req = MaterialRequirement.objects.create(
            standard=city["standards"]["material"],
            kind="policy",
            title=title,
            window_start=soon(-300),
            window_end=soon(-30),
            due_date=soon(20),
        )
        req.units.set([units["a"], units["b"]])
        reqs.append(req)
    office = city["users"]["office"]
    MaterialSubmission.objects.create(
        requirement=reqs[0], unit=units["a"], version=1, is_current=False, status="returned", created_by=office
    )
    MaterialSubmission.objects.create(
        requirement=reqs[0], unit=units["a"], version=2, is_current=True, status="accepted", created_by=office
    )
    MaterialSubmission.objects.create(
        requirement=reqs[1], unit=units["a"], version=1, is_current=True, status="draft", created_by=office
    )
    MaterialSubmission.objects.create(
        requirement=reqs[1], unit=units["b"], version=1, is_current=True, status="accepted", created_by=office
    )
    # Field progress: an open ticket of unit_a at a site whose type checks the field standard, one closed, one of
    # another unit.
    market = SiteType.objects.create(name="农贸市场", code="market")
    market.standards.add(city["standards"]["field"])
    site = Site.objects.create(
        name="南关市场", code="S1", site_type=market, region=city["regions"]["sa"], unit=units["a"]
    )
    category = Category.objects.create(name="占道经营", code="stall", group="order")
    from django.utils import timezone

    for number, unit, status in (
        ("T1", units["a"], "dispatched"),
        ("T2", units["a"], "closed"),
        ("T3", units["b"], "dispatched"),
    ):
        Ticket.objects.create(
            number=number,
            site=site,
            category=category,
            description="占道",
            severity="normal",
            source="patrol",
            status=status,
            unit=unit,
            region=site.region,
            created_at=timezone.now(),
        )

    _client(client, city, "unit")
    response = client.get(MINE)
    page = response.content.decode()
    assert "城管局牵头清理占道" in page and "监管局牵头建立制度" in page and "云冈交通局独有任务" not in page
    duties_shown = {d.task: d for d in response.context["duties"]}
    assert (
        duties_shown["监管局牵头建立制度"].material_accepted,
        duties_shown["监管局牵头建立制度"].material_required,
    ) == (1, 2)
    assert duties_shown["城管局牵头清理占道"].open_tickets == 1
    assert duties_shown["城管局牵头清理占道"].is_lead and not duties_shown["监管局牵头建立制度"].is_lead
    assert response.context["counts"] == {"total": 2, "done": 1, "overdue": 1, "due_soon": 0}

    _client(client, city, "unit3")  # another unit sees none of unit_a's duties
    page = client.get(MINE).content.decode()
    assert "城管局牵头清理占道" not in page and "监管局牵头建立制度" not in page and "云冈交通局独有任务" in page

    _client(client, city, "unit")
    response = client.get(THREE)
    page = response.content.decode()
    t1 = Ticket.objects.get(number="T1")
    assert [t.number for t in response.context["problems"]] == ["T1"]
    assert reverse("inspections:ticket_detail", args=[t1.pk]) in page
    assert "T3" not in page


def test_office_and_leader_open_any_units_three_lists(client, city, duties):
    url = reverse("evaluation:responsibility_three_lists_unit", args=[city["units"]["d"].pk])
    for role in ("office", "leader"):
        _client(client, city, role)
        response = client.get(url)
        assert response.status_code == 200 and "云冈交通局独有任务" in response.content.decode()
        assert client.get(THREE).status_code == 302
        assert client.get(MINE).status_code == 302


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_pages_query_counts_are_pinned(client, city, django_assert_num_queries):
    office = city["users"]["office"]
    for i in range(110):
        services.responsibility_create(
            actor=office,
            standard=city["standards"]["both"],
            lead_unit=city["units"]["a"],
            units=[city["units"]["b"], city["units"]["c"]],
            task=f"任务{i:03d}",
            method="field",
            deadline=soon(i - 50),
        )
    _client(client, city, "office")
    client.get(LIST)
    # Page: session, user, COUNT, rows, units (prefetch), KPIs, notifications, project/content/unit choices, and
    # the session saved (savepoint, update, release). API: session, user, COUNT, rows, units, session saved.
    for size in (20, 100):
        with django_assert_num_queries(13):
            assert client.get(f"{LIST}?page_size={size}").status_code == 200
        with django_assert_num_queries(8):
            assert client.get(f"/api/v1/responsibilities/?page_size={size}").status_code == 200
    _client(client, city, "unit")
    client.get(MINE)
    # 110 duties of unit_a on one page, progress by the database: the same few queries
    assert (_count(client, MINE), _count(client, THREE)) == (11, 13)
