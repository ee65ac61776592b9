"""Report a problem, the unit's inbox, the verification queue and the map wall."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Ticket, TicketPhoto

from .world import dispatched, jpeg_upload, rectifying, submitted

pytestmark = pytest.mark.django_db

CREATE = reverse("inspections:ticket_create")
INBOX = reverse("inspections:unit_inbox")
QUEUE = reverse("inspections:verify_queue")
MAP = reverse("inspections:map_wall")


@pytest.mark.parametrize(
    "who, source",
    [
        ("office", Ticket.Source.OFFICE),
        ("supervisor", Ticket.Source.PATROL),
        ("unit", Ticket.Source.SELF_INSPECTION),
        ("leader", Ticket.Source.LEADER),
    ],
)
def test_every_role_can_report_a_problem(world, client_for, who, source):
    client = client_for(getattr(world, who))
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE,
        {
            "site": world.site_a.pk,
            "category": world.category.pk,
            "description": "人行道上堆放杂物",
            "photos": [jpeg_upload("a.jpg")],
        },
    )
    ticket = Ticket.objects.get(description="人行道上堆放杂物")
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspections:ticket_detail", args=[ticket.pk]
    )
    assert ticket.source == source and ticket.reporter == getattr(world, who)
    assert ticket.photos.filter(kind=TicketPhoto.Kind.BEFORE).count() == 1


def test_a_unit_can_only_report_at_sites_it_can_see(world, client_for):
    client = client_for(world.unit)
    body = client.get(CREATE).content.decode()
    assert world.site_a.name in body and world.site_b.name not in body
    response = client.post(CREATE, {"site": world.site_b.pk, "category": world.category.pk, "description": "x"})
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_report_with_a_bad_photo_changes_nothing(world, client_for):
    response = client_for(world.supervisor).post(
        CREATE,
        {
            "site": world.site_a.pk,
            "category": world.category.pk,
            "description": "井盖破损",
            "photos": [
                jpeg_upload("a.jpg"),
                SimpleUploadedFile("b.png", b"definitely not a png", content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 400
    assert "b.png" in response.content.decode()
    assert not Ticket.objects.exists() and not TicketPhoto.objects.exists()


def test_report_needs_a_description(world, client_for):
    response = client_for(world.office).post(
        CREATE,
        {
            "site": world.site_a.pk,
            "category": world.category.pk,
            "description": "   ",
        },
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_create_form_prefills_the_site(world, client_for):
    body = client_for(world.office).get(CREATE, {"site": world.site_b.pk}).content.decode()
    assert f'<option value="{world.site_b.pk}" selected>' in body


def inbox_groups(response):
    return {group["key"]: [t.number for t in group["tickets"]] for group in response.context["groups"]}


def test_unit_inbox_groups_by_what_to_do(world, client_for):
    from inspections.tickets.services import ticket_verify

    to_sign = dispatched(world)
    fixing = rectifying(world)
    waiting = submitted(world)
    rework = submitted(world)
    ticket_verify(actor=world.supervisor, ticket=rework, approved=False, note="仍不合格")
    other_unit = dispatched(world, site=world.site_b)
    response = client_for(world.unit).get(INBOX)
    assert response.status_code == 200
    groups = inbox_groups(response)
    assert groups == {
        "sign": [to_sign.number],
        "rework": [rework.number],
        "rectifying": [fixing.number],
        "submitted": [waiting.number],
    }
    body = response.content.decode()
    assert other_unit.number not in body
    assert "待签收" in body and "核查不通过，需返工" in body
    # a sign button right in the inbox
    assert reverse("inspections:ticket_action", args=[to_sign.pk, "sign"]) in body


def test_signing_from_the_inbox_comes_back_to_the_inbox(world, client_for):
    ticket = dispatched(world)
    client = client_for(world.unit)
    response = client.post(reverse("inspections:ticket_action", args=[ticket.pk, "sign"]), {"next": INBOX})
    assert response.status_code == 302 and response["Location"] == INBOX
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RECTIFYING


@pytest.mark.parametrize("count", [2, 23])
def test_inbox_query_count_does_not_grow_with_tickets(world, client_for, django_assert_num_queries, count):
    for _ in range(count):
        dispatched(world, photos=0)
    client = client_for(world.unit)
    client.get(INBOX)
    # session, user, the liaison's scope (core.scope, once per request), unread notifications, the first tickets of
    # each group, the counts, saving the session (savepoint, update, release), the unit's name
    with django_assert_num_queries(10):
        response = client.get(INBOX)
    sign = next(group for group in response.context["groups"] if group["key"] == "sign")
    assert sign["count"] == count
    assert len(sign["tickets"]) == min(count, 20)
    body = response.content.decode()
    if count > 20:
        assert "还有 3 个：查看完整列表" in body and "?status=dispatched" in body
    else:
        assert "查看完整列表" not in body


def test_inbox_shows_the_most_urgent_first(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    later = dispatched(world, deadline=timezone.localdate() + timedelta(days=9), photos=0)
    sooner = dispatched(world, deadline=timezone.localdate() + timedelta(days=2), photos=0)
    response = client_for(world.unit).get(INBOX)
    assert inbox_groups(response)["sign"] == [sooner.number, later.number]


def test_verify_queue_shows_submitted_tickets_in_scope(world, client_for):
    mine = submitted(world)
    elsewhere = submitted(world, site=world.site_b)
    dispatched(world)
    response = client_for(world.supervisor).get(QUEUE)
    numbers = [t.number for t in response.context["page"]]
    assert numbers == [mine.number]
    body = response.content.decode()
    assert elsewhere.number not in body
    after = TicketPhoto.objects.get(ticket=mine, kind=TicketPhoto.Kind.AFTER)
    before = TicketPhoto.objects.get(ticket=mine, kind=TicketPhoto.Kind.BEFORE)
    assert after.thumbnail.url in body and before.thumbnail.url in body
    assert 'name="verify-approved" value="yes"' in body and 'name="verify-approved" value="no"' in body
    assert [t.number for t in client_for(world.office).get(QUEUE).context["page"]] == sorted(
        [mine.number, elsewhere.number]
    )


def test_verify_from_the_queue(world, client_for):
    a = submitted(world)
    b = submitted(world)
    client = client_for(world.supervisor)
    url = lambda t: reverse("inspections:ticket_action", args=[t.pk, "verify"])  # noqa: E731
    # reject without a note: refused, shown on the queue, nothing changed
    response = client.post(url(a), {"verify-approved": "no", "verify-note": "", "next": QUEUE}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "核查不通过时，请写明仍存在的问题" in response.content.decode()
    a.refresh_from_db()
    assert a.status == Ticket.Status.SUBMITTED
    client.post(url(a), {"verify-approved": "yes", "next": QUEUE})
    client.post(url(b), {"verify-approved": "no", "verify-note": "地面仍有油污", "next": QUEUE})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Ticket.Status.CLOSED
    assert (b.status, b.rework_count) == (Ticket.Status.RECTIFYING, 1)
    assert list(client.get(QUEUE).context["page"]) == []


@pytest.mark.parametrize("count", [2, 15])
def test_verify_queue_query_count_does_not_grow(world, client_for, django_assert_num_queries, count):
    for _ in range(count):
        submitted(world)
    client = client_for(world.supervisor)
    client.get(QUEUE)
    # session, user, the supervisor's regions (two), unread notifications, count, tickets, photos,
    # saving the session (savepoint, update, release)
    with django_assert_num_queries(11):
        response = client.get(QUEUE)
    assert len(response.context["page"]) == count


@pytest.mark.parametrize("who", ["unit", "leader"])
def test_verify_queue_is_not_for_units_or_leaders(world, client_for, who):
    assert client_for(getattr(world, who)).get(QUEUE).status_code == 404


def test_map_wall_page(world, client_for, settings):
    settings.MAP_TILES_URL = ""
    response = client_for(world.office).get(MAP)
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/leaflet/leaflet" in body and "/static/js/mapwall.js" in body
    assert "MAP_TILES_URL" in body  # the note: no tile server set
    assert not re.search(r'(src|href)="https?://', body)  # no CDN
    config = json.loads(
        re.search(r'<script id="map-config" type="application/json">(.*?)</script>', body, re.S).group(1)
    )
    assert config["sitesUrl"] == "/api/v1/map/sites.geojson" and config["tilesUrl"] == ""
    settings.MAP_TILES_URL = "http://tiles.example.gov.cn/{z}/{x}/{y}.png"
    body = client_for(world.office).get(MAP).content.decode()
    assert "tiles.example.gov.cn" in body and "MAP_TILES_URL" not in body


@pytest.mark.parametrize("who, status", [("office", 200), ("supervisor", 200), ("leader", 200), ("unit", 404)])
def test_map_wall_roles(world, client_for, who, status):
    assert client_for(getattr(world, who)).get(MAP).status_code == status


def test_map_geojson_the_wall_reads(world, client_for):
    """The wall draws what the API answers: sites with open and overdue counts, tickets as points."""
    dispatched(world)
    client = client_for(world.supervisor)
    sites = client.get("/api/v1/map/sites.geojson").json()
    by_name = {f["properties"]["name"]: f["properties"] for f in sites["features"]}
    assert by_name[world.site_a.name]["open"] == 1 and world.site_b.name not in by_name
    tickets = client.get("/api/v1/map/tickets.geojson", {"bbox": "113,39,114,41", "category": world.category.pk}).json()
    assert len(tickets["features"]) == 1
    assert {"number", "status_display", "is_overdue", "site_name"} <= set(tickets["features"][0]["properties"])
