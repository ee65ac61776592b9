"""The pages: dashboards per role, the archive (scope, polling, export, query counts), a bulletin, its PDF,
publish and retry through the web, the schedule page."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from reports import services
from reports.models import Bulletin

pytestmark = pytest.mark.django_db


def make_bulletins(office, week, n, *, publish=True):
    made = []
    for i in range(n):
        b = services.bulletin_request(actor=office, kind="daily", period_start=week - timedelta(days=i))
        Bulletin.objects.filter(pk=b.pk).update(status="ready")
        b.refresh_from_db()
        if publish:
            services.bulletin_publish(actor=office, bulletin=b)
        made.append(b)
    return made


def test_dashboard_for_each_role(client, scenario, office, leader_user, make_user):
    unit_user = make_user("unit", Role.UNIT, unit=scenario.unit_b)
    supervisor = make_user("supervisor", Role.SUPERVISOR)
    client.force_login(office)
    page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "西一路街道办" in html  # trend chart, overdue by unit
    assert page.context["overdue_by_unit"][0]["overdue_open"] == 2
    client.force_login(leader_user)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "西一路街道" in html  # the leader's assignment
    client.force_login(unit_user)
    page = client.get(reverse("reports:dashboard"))
    assert page.context["queue"]["overdue"] == 2 and page.context["queue"]["dispatched"] == 1
    client.force_login(supervisor)
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_home_lands_on_the_dashboard(client, office):
    client.force_login(office)
    assert client.get("/").url == reverse("reports:dashboard")


def test_archive_scope_and_status_polling(client, office, leader_user, week):
    published = make_bulletins(office, week, 1)[0]
    draft = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    client.force_login(leader_user)
    page = client.get(reverse("reports:bulletin_list"))
    assert [b.pk for b in page.context["rows"]] == [published.pk]
    assert page.context["form"] is None and not page.context["polling"]
    assert client.get(reverse("reports:bulletin_detail", args=[draft.pk])).status_code == 404
    client.force_login(office)
    page = client.get(reverse("reports:bulletin_list"))
    assert {b.pk for b in page.context["rows"]} == {published.pk, draft.pk}
    assert page.context["polling"] and 'hx-trigger="every 2s"' in page.content.decode()
    partial = client.get(reverse("reports:bulletin_list"), HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="bulletin-table"')
    status = client.get(reverse("reports:bulletin_detail", args=[draft.pk]) + "?part=status", HTTP_HX_REQUEST="true")
    assert "hx-trigger" in status.content.decode() and "HX-Refresh" not in status
    Bulletin.objects.filter(pk=draft.pk).update(status="ready")
    status = client.get(reverse("reports:bulletin_detail", args=[draft.pk]) + "?part=status", HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"


@pytest.mark.parametrize("page_size", [5, 20])
def test_archive_query_count_does_not_grow_with_rows(client, office, week, page_size, django_assert_num_queries):
    make_bulletins(office, week, 25)
    client.force_login(office)
    url = reverse("reports:bulletin_list") + f"?page_size={page_size}"
    # session, user, paginator count, rows, unread notifications (context processor), and the session saved on
    # every request (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release): the same at any page size
    with django_assert_num_queries(8):
        page = client.get(url)
    assert len(page.context["rows"]) == page_size


def test_archive_export(client, office, leader_user, week):
    make_bulletins(office, week, 2)
    services.bulletin_request(actor=office, kind="weekly", period_start=week)  # a draft
    client.force_login(leader_user)
    response = client.get(reverse("reports:bulletin_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "类型" and len(rows) == 3  # header + the two published ones, not the draft
    client.force_login(office)
    response = client.get(reverse("reports:bulletin_export") + "?kind=weekly")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "周通报"


def test_generate_through_the_page(client, office, leader_user, week, django_capture_on_commit_callbacks):
    client.force_login(leader_user)
    assert (
        client.post(reverse("reports:bulletin_generate"), {"kind": "weekly", "period_start": week}).status_code == 403
    )
    client.force_login(office)
    response = client.post(reverse("reports:bulletin_generate"), {"kind": "weekly", "period_start": "not a date"})
    assert response.status_code == 400 and not Bulletin.objects.exists()
    assert "有效的日期" in response.content.decode() or "日期" in response.content.decode()
    response = client.post(reverse("reports:bulletin_generate"), {"kind": "special", "period_start": week, "title": ""})
    assert response.status_code == 400 and "专报需要填写标题" in response.content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("reports:bulletin_generate"),
            {"kind": "weekly", "period_start": week, "distribution": "区委办，区政府办"},
        )
    bulletin = Bulletin.objects.get()
    assert bulletin.distribution == "区委办，区政府办"
    assert response.url == reverse("reports:bulletin_detail", args=[bulletin.pk]) and len(callbacks) == 1


def test_detail_pdf_publish_and_retry(client, scenario, office, leader_user, week):
    bulletin = services.bulletin_request(actor=office, kind="weekly", period_start=week)
    services.bulletin_generate(bulletin_id=bulletin.pk)
    client.force_login(office)
    page = client.get(reverse("reports:bulletin_detail", args=[bulletin.pk]))
    html = page.content.decode()
    assert "发布" in html and "<iframe" in html and "交通局" in html
    pdf = client.get(reverse("reports:bulletin_pdf", args=[bulletin.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf["Content-Disposition"].startswith("inline")
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"  # the detail page previews it in an iframe
    download = client.get(reverse("reports:bulletin_pdf", args=[bulletin.pk]) + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    client.force_login(leader_user)
    assert client.post(reverse("reports:bulletin_publish", args=[bulletin.pk])).status_code == 404  # a draft
    client.force_login(office)
    response = client.post(reverse("reports:bulletin_publish", args=[bulletin.pk]), follow=True)
    assert "已发布" in response.content.decode()
    client.force_login(leader_user)
    assert client.get(reverse("reports:bulletin_pdf", args=[bulletin.pk])).status_code == 200
    assert client.post(reverse("reports:bulletin_publish", args=[bulletin.pk])).status_code == 403
    # retry of a bulletin that did not fail: refused with a message, nothing changes
    client.force_login(office)
    response = client.post(reverse("reports:bulletin_retry", args=[bulletin.pk]), follow=True)
    assert "只有生成失败的通报才能重试" in response.content.decode()
    assert Bulletin.objects.get(pk=bulletin.pk).status == "ready"


def test_schedule_page(client, office, leader_user):
    client.force_login(leader_user)
    assert client.get(reverse("reports:schedule")).status_code == 403
    client.force_login(office)
    page = client.get(reverse("reports:schedule"))
    assert page.status_code == 200 and 'value="18:00"' in page.content.decode()
    bad = client.post(reverse("reports:schedule"), {"daily": "25:00", "weekly": "08:00", "monthly": "08:00"})
    assert bad.status_code == 400
    assert services.schedule_times()["daily"].hour == 18
    client.post(reverse("reports:schedule"), {"daily": "17:30", "weekly": "08:00", "monthly": "08:00"})
    assert services.schedule_times()["daily"].strftime("%H:%M") == "17:30"


def test_regenerate_through_the_page(client, office, leader_user, week, django_capture_on_commit_callbacks):
    bulletin = make_bulletins(office, week, 1)[0]  # published
    client.force_login(leader_user)
    assert client.post(reverse("reports:bulletin_regenerate", args=[bulletin.pk])).status_code == 403
    client.force_login(office)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reports:bulletin_regenerate", args=[bulletin.pk]))
    revision = Bulletin.objects.exclude(pk=bulletin.pk).get()
    assert response.url == reverse("reports:bulletin_detail", args=[revision.pk]) and len(callbacks) == 1
    assert (revision.number, revision.revision, revision.published_at) == (bulletin.number, 2, None)
    page = client.get(reverse("reports:bulletin_detail", args=[revision.pk]))
    assert [r.pk for r in page.context["revisions"]] == [bulletin.pk]
