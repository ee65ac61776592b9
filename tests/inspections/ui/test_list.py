"""The office's ticket list: scope, filters, htmx partial, pagination, bulk dispatch, export, query counts."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from inspections.models import Ticket, TicketEvent

from .world import dispatched, report

pytestmark = pytest.mark.django_db

LIST = reverse("inspections:ticket_list")


def numbers_in(response):
    return {t.number for t in response.context["page"].object_list}


def test_office_sees_all_unit_only_its_own_supervisor_only_in_scope(world, client_for):
    a = report(world, site=world.site_a)
    b = report(world, site=world.site_b, actor=world.office)
    assert numbers_in(client_for(world.office).get(LIST)) == {a.number, b.number}
    assert numbers_in(client_for(world.leader).get(LIST)) == {a.number, b.number}
    assert numbers_in(client_for(world.supervisor).get(LIST)) == {a.number}
    # A unit only sees tickets dispatched to it: reported ones have the site's unit by default.
    assert numbers_in(client_for(world.unit).get(LIST)) == {a.number}
    assert numbers_in(client_for(world.unit2).get(LIST)) == {b.number}


def test_filters_status_region_overdue_and_search(world, client_for):
    reported = report(world, site=world.site_a, description="共享单车乱停放")
    late = dispatched(world, site=world.site_b)
    # Two days pass: moving the deadline back stands in for the clock (the overdue rule reads today's date).
    Ticket.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    client = client_for(world.office)
    assert numbers_in(client.get(LIST, {"status": "reported"})) == {reported.number}
    assert numbers_in(client.get(LIST, {"status": ["reported", "dispatched"]})) == {reported.number, late.number}
    # District A includes the street under it, where site A is.
    assert numbers_in(client.get(LIST, {"region": world.district_a.pk})) == {reported.number}
    assert numbers_in(client.get(LIST, {"overdue": "true"})) == {late.number}
    assert numbers_in(client.get(LIST, {"q": "共享单车"})) == {reported.number}
    assert numbers_in(client.get(LIST, {"unit": world.unit_b.pk})) == {late.number}
    response = client.get(LIST, {"site": world.site_a.pk})
    assert numbers_in(response) == {reported.number}
    assert world.site_a.name in response.content.decode()  # the site chip


def test_bad_filter_shows_an_error_and_no_rows(world, client_for):
    report(world)
    response = client_for(world.office).get(LIST, {"created_after": "not-a-date"})
    assert response.status_code == 200
    assert numbers_in(response) == set()
    assert "输入一个有效的日期" in response.content.decode()
    partial = client_for(world.office).get(LIST, {"created_after": "not-a-date"}, HTTP_HX_REQUEST="true")
    assert "filter-errors" in partial.content.decode() and "输入一个有效的日期" in partial.content.decode()


def test_htmx_request_gets_only_the_table(world, client_for):
    ticket = report(world)
    response = client_for(world.office).get(LIST, {"status": "reported"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="ticket-table">')
    assert "<html" not in body and ticket.number in body
    assert 'class="badge status-reported"' in body


def test_markers_for_overdue_and_escalation(world, client_for):
    ticket = dispatched(world)
    # Four days late and escalated by the nightly job: set directly, in place of the clock and the job.
    Ticket.objects.filter(pk=ticket.pk).update(
        deadline=timezone.localdate() - timedelta(days=4), escalation=Ticket.Escalation.YELLOW
    )
    body = client_for(world.office).get(LIST).content.decode()
    assert "badge badge-yellow" in body and "黄色督办" in body
    assert "超期" in body


@pytest.mark.parametrize("page_size", [20, 100])
def test_list_query_count_is_the_same_at_both_page_sizes(world, client_for, django_assert_num_queries, page_size):
    for i in range(25):
        report(world, site=world.site_a if i % 2 else world.site_b, photos=0)
    client = client_for(world.office)
    client.get(LIST)  # warm the session
    # session, user, unread notifications, the region filter's value, count, rows, the options of the
    # filters (categories, units, regions) and of bulk dispatch (units), and saving the session (savepoint,
    # update, release): the same at any page size.
    with django_assert_num_queries(13):
        response = client.get(LIST, {"page_size": page_size, "status": "reported", "region": world.city.pk})
    assert len(response.context["page"].object_list) == min(page_size, 25)


def test_page_size_is_limited_to_the_offered_sizes(world, client_for):
    for _ in range(3):
        report(world, photos=0)
    response = client_for(world.office).get(LIST, {"page_size": "100000"})
    assert response.context["page_size"] == 20


def test_bulk_dispatch_to_each_sites_own_unit(world, client_for):
    a = report(world, site=world.site_a, photos=0)
    b = report(world, site=world.site_b, photos=0)
    response = client_for(world.office).post(
        reverse("inspections:ticket_bulk_dispatch"),
        {
            "tickets": [a.pk, b.pk],
            "target": "site",
            "deadline": "",
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.unit_id) == (Ticket.Status.DISPATCHED, world.unit_a.pk)
    assert (b.status, b.unit_id) == (Ticket.Status.DISPATCHED, world.unit_b.pk)
    assert a.deadline > timezone.localdate()  # the category's default, in working days


def test_bulk_dispatch_to_one_unit_with_a_deadline(world, client_for):
    a = report(world, site=world.site_a, photos=0)
    deadline = timezone.localdate() + timedelta(days=10)
    client_for(world.office).post(
        reverse("inspections:ticket_bulk_dispatch"),
        {
            "tickets": [a.pk],
            "target": str(world.unit_b.pk),
            "deadline": deadline.isoformat(),
        },
    )
    a.refresh_from_db()
    assert (a.unit_id, a.deadline) == (world.unit_b.pk, deadline)


def test_bulk_dispatch_is_all_or_nothing(world, client_for):
    fresh = report(world, site=world.site_a, photos=0)
    already = dispatched(world, site=world.site_b)
    events_before = TicketEvent.objects.count()
    client = client_for(world.office)
    response = client.post(
        reverse("inspections:ticket_bulk_dispatch"),
        {
            "tickets": [fresh.pk, already.pk],
            "target": "site",
        },
        follow=True,
    )
    fresh.refresh_from_db()
    assert fresh.status == Ticket.Status.REPORTED
    assert TicketEvent.objects.count() == events_before
    assert "没有派遣任何问题" in response.content.decode()
    assert already.number in response.content.decode()


def test_bulk_dispatch_bad_input(world, client_for):
    a = report(world, photos=0)
    client = client_for(world.office)
    response = client.post(
        reverse("inspections:ticket_bulk_dispatch"),
        {"tickets": [a.pk], "target": "site", "deadline": "2001-01-01"},
        follow=True,
    )
    assert "期限不能早于今天" in response.content.decode()
    response = client.post(reverse("inspections:ticket_bulk_dispatch"), {"target": "site"}, follow=True)
    assert "请至少选择一个问题" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Ticket.Status.REPORTED


def test_bulk_dispatch_refused_to_other_roles(world, client_for):
    a = report(world, photos=0)
    client_for(world.supervisor).post(
        reverse("inspections:ticket_bulk_dispatch"), {"tickets": [a.pk], "target": "site"}
    )
    a.refresh_from_db()
    assert a.status == Ticket.Status.REPORTED


def test_export_contains_what_the_filtered_list_shows(world, client_for):
    shown = dispatched(world, site=world.site_a)
    report(world, site=world.site_b, photos=0)
    client = client_for(world.office)
    params = {"status": "dispatched"}
    listed = numbers_in(client.get(LIST, params))
    response = client.get(reverse("inspections:ticket_export"), params)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "状态", "超期")
    assert {row[0] for row in rows[1:]} == listed == {shown.number}
    row = rows[1]
    assert row[1] == "已派遣" and row[7] == world.site_a.name and row[9] == world.unit_a.name


def test_export_respects_scope(world, client_for):
    report(world, site=world.site_a, photos=0)
    b = report(world, site=world.site_b, photos=0)
    response = client_for(world.unit2).get(reverse("inspections:ticket_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [b.number]


def test_bulk_dispatch_to_the_sites_unit_needs_a_site(world, client_for):
    from inspections.tickets.services import ticket_report

    with_site = report(world, photos=0)
    without_site = ticket_report(
        actor=world.office,
        category=world.category,
        description="热线反映：路灯不亮",
        source=Ticket.Source.HOTLINE,
        region=world.district_b,
    )
    response = client_for(world.office).post(
        reverse("inspections:ticket_bulk_dispatch"),
        {
            "tickets": [with_site.pk, without_site.pk],
            "target": "site",
        },
        follow=True,
    )
    assert "该问题没有带责任单位的点位" in response.content.decode()
    assert not Ticket.objects.filter(status=Ticket.Status.DISPATCHED).exists()


def test_pagination_keeps_the_filters(world, client_for):
    for _ in range(45):
        report(world, photos=0)
    client = client_for(world.office)
    response = client.get(LIST, {"status": "reported", "page": 2})
    page = response.context["page"]
    assert page.number == 2 and len(page.object_list) == 20 and page.paginator.num_pages == 3
    body = response.content.decode()
    assert 'href="?status=reported&amp;page=3"' in body and 'href="?status=reported&amp;page=1"' in body
    assert len(client.get(LIST, {"status": "reported", "page": 3}).context["page"].object_list) == 5
