"""The tickets API: the CONTRACT role table, status codes, languages, photos, figures, GeoJSON, query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from inspections.models import Ticket, TicketPhoto

from .conftest import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _client(user, lang=None):
        client = APIClient()
        client.force_authenticate(user)
        if lang:
            client.credentials(HTTP_ACCEPT_LANGUAGE=lang)
        return client

    return _client


def url(ticket=None, action=None):
    if ticket is None:
        return "/api/v1/tickets/"
    return f"/api/v1/tickets/{ticket.pk}/" + (f"{action}/" if action else "")


def test_list_fields_and_filters(city, advance, api):
    advance("dispatched")
    advance("reported", site=city.site_b)
    answer = api(city.office).get(url())
    assert answer.status_code == 200 and answer.data["count"] == 2
    row = answer.data["results"][1]
    for field in (
        "id",
        "number",
        "site",
        "category",
        "description",
        "severity",
        "source",
        "status",
        "unit",
        "deadline",
        "is_overdue",
        "rework_count",
        "recurrence_of",
        "lat",
        "lng",
        "created_at",
        "closed_at",
        "photos",
    ):
        assert field in row
    assert row["status"] == "dispatched" and row["is_overdue"] is False and row["status_display"] == "已派遣"
    assert api(city.office, "en").get(url()).data["results"][1]["status_display"] == "Dispatched"
    assert api(city.office).get(url(), {"status": "reported"}).data["count"] == 1
    assert api(city.office).get(url(), {"region": city.street_a.pk}).data["count"] == 1  # community under street A
    assert api(city.office).get(url(), {"region": city.district.pk}).data["count"] == 2
    assert api(city.office).get(url(), {"q": "北关"}).data["count"] == 1
    assert api(city.office).get(url(), {"unit": city.unit_a.pk}).data["count"] == 2  # unit from the site
    assert api(city.office).get(url(), {"unit": city.unit_b.pk}).data["count"] == 0


def test_overdue_and_date_filters(city, advance, api):
    late = advance("rectifying")
    advance("rectifying")
    Ticket.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    answer = api(city.office).get(url(), {"overdue": "true"})
    assert [r["id"] for r in answer.data["results"]] == [late.pk] and answer.data["results"][0]["is_overdue"]
    today = timezone.localdate().isoformat()
    assert api(city.office).get(url(), {"created_after": today}).data["count"] == 2
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert api(city.office).get(url(), {"created_before": yesterday}).data["count"] == 0


def test_scope_in_lists(city, advance, api):
    advance("dispatched")  # unit A, street A
    advance("dispatched", site=city.site_b)  # unit A, street B
    advance("dispatched", site=city.site_a2)  # unit B, street A
    counts = {
        name: api(getattr(city, name)).get(url()).data["count"]
        for name in ("office", "leader", "supervisor", "supervisor_b", "unit", "unit2")
    }
    assert counts == {"office": 3, "leader": 3, "supervisor": 2, "supervisor_b": 1, "unit": 2, "unit2": 1}


# The CONTRACT role table, action by action: who may (2xx), who may not (403), who cannot see it (404).
ROLE_TABLE = [
    # action, starting status, payload, allowed, forbidden (403), out of scope (404)
    ("file", "reported", {}, ["office"], ["supervisor", "leader"], ["supervisor_b", "unit2"]),
    ("dispatch", "reported", "unit", ["office"], ["supervisor", "leader"], ["supervisor_b"]),
    (
        "invalidate",
        "dispatched",
        {"reason": "重复"},
        ["office"],
        ["supervisor", "unit", "leader"],
        ["supervisor_b", "unit2"],
    ),
    ("sign", "dispatched", {}, ["unit"], ["office", "supervisor", "leader"], ["supervisor_b", "unit2"]),
    (
        "return",
        "dispatched",
        {"reason": "非本单位"},
        ["unit"],
        ["office", "supervisor", "leader"],
        ["supervisor_b", "unit2"],
    ),
    ("submit", "rectifying", "photos", ["unit"], ["office", "supervisor", "leader"], ["supervisor_b", "unit2"]),
    ("extend", "rectifying", "extend", ["unit"], ["office", "supervisor", "leader"], ["supervisor_b", "unit2"]),
    (
        "verify",
        "submitted",
        {"approved": True},
        ["office", "supervisor"],
        ["unit", "leader"],
        ["supervisor_b", "unit2"],
    ),
    (
        "decide-extension",
        "pending",
        {"approved": True},
        ["office"],
        ["supervisor", "unit", "leader"],
        ["supervisor_b", "unit2"],
    ),
]


def _payload(kind, city, ticket):
    if kind == "unit":
        return {"unit": city.unit_a.pk}, "json"
    if kind == "photos":
        return {"note": "已整改", "photos": [jpeg("after.jpg")]}, "multipart"
    if kind == "extend":
        return {"deadline": (ticket.deadline + timedelta(days=5)).isoformat(), "reason": "材料未到"}, "json"
    return kind, "json"


def _ticket_in(city, advance, status):
    from inspections.tickets import services

    if status == "pending":
        ticket = advance("rectifying")
        services.ticket_request_extension(
            actor=city.unit, ticket=ticket, deadline=ticket.deadline + timedelta(days=5), reason="x"
        )
        return ticket
    return advance(status)


@pytest.mark.parametrize("action,status,payload,allowed,forbidden,hidden", ROLE_TABLE, ids=[r[0] for r in ROLE_TABLE])
def test_role_table(city, advance, api, action, status, payload, allowed, forbidden, hidden):
    for role in forbidden + hidden:
        ticket = _ticket_in(city, advance, status)
        data, fmt = _payload(payload, city, ticket)
        answer = api(getattr(city, role)).post(url(ticket, action), data, format=fmt)
        expected = 403 if role in forbidden else 404
        assert answer.status_code == expected, (role, answer.status_code, answer.data)
        assert Ticket.objects.get(pk=ticket.pk).status == ticket.status
    for role in allowed:
        ticket = _ticket_in(city, advance, status)
        data, fmt = _payload(payload, city, ticket)
        answer = api(getattr(city, role)).post(url(ticket, action), data, format=fmt)
        assert answer.status_code == 200, (role, answer.data)
        assert ticket.events.filter(action=action.replace("-", "_")).exists()


def test_wrong_state_is_409_with_a_message_in_the_requests_language(city, advance, api):
    ticket = advance("closed")
    answer = api(city.unit, "en").post(url(ticket, "sign"))
    assert answer.status_code == 409 and "cannot be changed" in answer.data["detail"]
    answer = api(city.unit).post(url(ticket, "sign"))
    assert answer.status_code == 409 and "已销号" in answer.data["detail"]


def test_bad_input_is_400_with_field_messages(city, advance, api):
    ticket = advance("reported")
    answer = api(city.office, "en").post(url(ticket, "dispatch"), {"unit": 999999}, format="json")
    assert answer.status_code == 400 and "unit" in answer.data
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    answer = api(city.office, "en").post(
        url(ticket, "dispatch"), {"unit": city.unit_a.pk, "deadline": past}, format="json"
    )
    assert answer.status_code == 400 and answer.data["deadline"] == ["The deadline cannot be in the past."]
    answer = api(city.office).post(url(ticket, "dispatch"), {"unit": city.unit_a.pk, "deadline": past}, format="json")
    assert answer.status_code == 400 and "不能早于今天" in answer.data["deadline"][0]
    assert Ticket.objects.get(pk=ticket.pk).status == "reported"


def test_verify_reject_needs_a_note(city, advance, api):
    ticket = advance("submitted")
    answer = api(city.supervisor, "en").post(url(ticket, "verify"), {"approved": False}, format="json")
    assert answer.status_code == 400 and "note" in answer.data
    answer = api(city.supervisor).post(url(ticket, "verify"), {"approved": False, "note": "仍有摊位"}, format="json")
    assert answer.status_code == 200 and answer.data["status"] == "rectifying" and answer.data["rework_count"] == 1


def test_submit_without_photos_is_400(city, advance, api):
    ticket = advance("rectifying")
    answer = api(city.unit, "en").post(url(ticket, "submit"), {"note": "done"}, format="multipart")
    assert answer.status_code == 400 and "photos" in answer.data


def test_create_with_photos(city, api):
    answer = api(city.supervisor).post(
        url(),
        {
            "category": city.category.pk,
            "description": "店外经营",
            "site": city.site_a.pk,
            "photos": [jpeg("one.jpg"), jpeg("two.webp", fmt="WEBP")],
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.data
    assert answer.data["source"] == "patrol" and answer.data["status"] == "reported"
    assert [p["kind"] for p in answer.data["photos"]] == ["before", "before"]
    assert answer.data["photos"][0]["url"].startswith("http://testserver/media/tickets/")
    assert answer.data["allowed_actions"] == []


def test_create_with_a_fake_photo_saves_nothing(city, api):
    fake = SimpleUploadedFile("scene.jpg", b"MZ\x90\x00 not an image" * 50, content_type="image/jpeg")
    answer = api(city.supervisor, "en").post(
        url(),
        {
            "category": city.category.pk,
            "description": "x",
            "site": city.site_a.pk,
            "photos": [jpeg(), fake],
        },
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.data["photos"] == ["“scene.jpg” is not a JPEG, PNG or WebP photo."]
    assert Ticket.objects.count() == 0 and TicketPhoto.objects.count() == 0


def test_retrieve_out_of_scope_is_404(city, advance, api):
    ticket = advance("dispatched")
    assert api(city.unit2).get(url(ticket)).status_code == 404
    assert api(city.supervisor_b).get(url(ticket)).status_code == 404
    assert api(city.office).get("/api/v1/tickets/99999999/").status_code == 404
    answer = api(city.unit).get(url(ticket))
    assert answer.status_code == 200 and answer.data["allowed_actions"] == ["sign", "return", "extend"]


def test_events(city, advance, api):
    ticket = advance("submitted")
    answer = api(city.office).get(url(ticket, "events"))
    assert [e["action"] for e in answer.data] == ["report", "dispatch", "sign", "submit"]
    assert answer.data[1]["actor"] == "office" and answer.data[3]["photos"][0]["kind"] == "after"
    assert api(city.unit2).get(url(ticket, "events")).status_code == 404


def test_anonymous_is_refused(city):
    assert APIClient().get(url()).status_code in (401, 403)


def test_stats_endpoint(city, advance, api):
    advance("closed")
    advance("dispatched", site=city.site_a2)
    answer = api(city.office).get("/api/v1/stats/tickets/")
    assert answer.status_code == 200 and answer.data["results"] == []
    assert answer.data["totals"]["found"] == 2 and answer.data["totals"]["rectification_rate"] == 0.5
    answer = api(city.office).get("/api/v1/stats/tickets/", {"group_by": "unit"})
    assert answer.status_code == 200 and answer.data["totals"] is None
    answer = api(city.office).get("/api/v1/stats/tickets/", {"group_by": "unit", "totals": "true"})
    assert answer.data["totals"]["found"] == 2
    assert {r["name"]: r["found"] for r in answer.data["results"]} == {"城管局": 1, "南关街道办": 1}
    assert api(city.office, "en").get("/api/v1/stats/tickets/", {"group_by": "x"}).status_code == 400
    answer = api(city.office, "en").get("/api/v1/stats/tickets/", {"start": "2026-13-01"})
    assert answer.status_code == 400 and answer.data == {"start": ["Enter a date as YYYY-MM-DD."]}
    assert api(city.unit2).get("/api/v1/stats/tickets/").data["totals"]["found"] == 1


def test_geojson(city, advance, api):
    late = advance("rectifying")
    Ticket.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    advance("dispatched", site=city.site_b)
    advance("closed", site=city.site_b)
    sites = api(city.office).get("/api/v1/map/sites.geojson").data
    assert sites["type"] == "FeatureCollection"
    props = {f["properties"]["name"]: f["properties"] for f in sites["features"]}
    assert (props["南关农贸市场"]["open"], props["南关农贸市场"]["overdue"]) == (1, 1)
    assert (props["北关市场"]["open"], props["北关市场"]["overdue"]) == (1, 0)
    feature = next(f for f in sites["features"] if f["id"] == city.site_a.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [113.30, 40.07]}
    boxed = api(city.office).get("/api/v1/map/sites.geojson", {"bbox": "113.29,40.06,113.305,40.075"}).data
    assert [f["id"] for f in boxed["features"]] == [city.site_a.pk]
    assert api(city.office).get("/api/v1/map/sites.geojson", {"bbox": "1,2,3"}).status_code == 400
    tickets = api(city.office).get("/api/v1/map/tickets.geojson").data
    assert len(tickets["features"]) == 2 and tickets["truncated"] is False  # open ones only
    assert (
        api(city.supervisor_b).get("/api/v1/map/tickets.geojson").data["features"][0]["properties"]["site"]
        == city.site_b.pk
    )
    closed = api(city.office).get("/api/v1/map/tickets.geojson", {"status": "closed"}).data
    assert len(closed["features"]) == 1


@pytest.mark.parametrize("page_size", [20, 100])
def test_list_query_count_does_not_grow_with_page_size(city, api, django_assert_num_queries, page_size):
    from inspections.tickets import services

    for i in range(120):
        services.ticket_report(
            actor=city.office,
            category=city.category,
            description=f"问题 {i}",
            source="office",
            site=[city.site_a, city.site_b, city.site_a2][i % 3],
            photos=[jpeg()] if i < 3 else (),
        )
    client = api(city.office)
    with django_assert_num_queries(3):  # count, page, photos
        answer = client.get(url(), {"page_size": page_size})
    assert len(answer.data["results"]) == page_size
    supervisor = api(city.supervisor)
    with django_assert_num_queries(5):  # + the supervisor's scope (2)
        answer = supervisor.get(url(), {"page_size": page_size, "status": "reported"})
    assert len(answer.data["results"]) == min(page_size, 80)


def test_site_map_follows_region_and_category_filters(client, city):
    """The map wall's region and category filters narrow the sites and their counts, like the markers."""
    from inspections.tickets.services import ticket_report

    for category in (city.category, city.category_slow):
        ticket_report(actor=city.office, category=category, description="地图筛选", source="office", site=city.site_a)
    ticket_report(actor=city.office, category=city.category, description="地图筛选", source="office", site=city.site_b)
    client.force_login(city.office)
    everything = {f["id"]: f["properties"] for f in client.get("/api/v1/map/sites.geojson").json()["features"]}
    assert everything[city.site_a.pk]["open"] == 2 and everything[city.site_b.pk]["open"] == 1
    in_street = client.get(f"/api/v1/map/sites.geojson?region={city.street_a.pk}").json()["features"]
    assert {f["id"] for f in in_street} == {city.site_a.pk, city.site_a2.pk}
    of_category = client.get(f"/api/v1/map/sites.geojson?category={city.category_slow.pk}").json()["features"]
    counts = {f["id"]: f["properties"]["open"] for f in of_category}
    assert counts[city.site_a.pk] == 1 and counts[city.site_b.pk] == 0
    assert client.get("/api/v1/map/sites.geojson?region=999999").status_code == 400
