from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.exceptions import InvalidTransition, NotInScope, NotPermitted
from inspections.models import ChecklistResult, Patrol, Ticket
from inspections.sites.selectors import site_checklist
from inspections.sites.services import (
    patrol_check_in,
    patrol_finish,
    patrol_fix_on_spot,
    patrol_record_results,
    patrol_report_problem,
    patrol_start,
)

from .conftest import jpeg, offset

pytestmark = pytest.mark.django_db


def test_check_in_records_the_distance(district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    lat, lng = offset(metres_north=80)
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=lat, lng=lng)
    assert abs(visit.distance_m - 80) < 1 and visit.too_far is False
    assert (visit.lat, visit.lng) == (lat, lng)


@override_settings(CHECKIN_MAX_DISTANCE_M=300)
def test_check_in_too_far_is_flagged_but_video_patrols_are_exempt(district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.UNANNOUNCED)
    lat, lng = offset(metres_east=450)
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=lat, lng=lng)
    assert visit.too_far is True and 440 < visit.distance_m < 460

    video = patrol_start(actor=district.supervisor, kind=Patrol.Kind.VIDEO)
    visit = patrol_check_in(actor=district.supervisor, patrol=video, site=district.site_a, lat=lat, lng=lng)
    assert visit.too_far is False and visit.distance_m is None and visit.lat is None


def test_check_in_needs_a_position_except_on_video(district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SPECIAL)
    with pytest.raises(ValidationError):
        patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a)
    assert not patrol.visits.exists()


def test_check_in_outside_scope_and_twice(district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    with pytest.raises(NotInScope):  # 北关 is not in the supervisor's group
        patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_b, lat=40.1, lng=113.3)
    patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    from core.exceptions import DomainError

    with pytest.raises(DomainError):
        patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    # Only members record on a patrol.
    with pytest.raises(NotPermitted):
        patrol_check_in(actor=district.leader, patrol=patrol, site=district.site_b, lat=40.1, lng=113.3)


def test_unit_may_only_start_self_inspections(district):
    with pytest.raises(NotPermitted):
        patrol_start(actor=district.unit, kind=Patrol.Kind.SUPERVISION_GROUP)
    patrol = patrol_start(actor=district.unit, kind=Patrol.Kind.SELF_INSPECTION)
    assert patrol.leader == district.unit
    with pytest.raises(ValidationError):
        patrol_start(actor=district.office, kind="picnic")
    # Leaders' own patrols are the leaders'; mock evaluations are not theirs to run.
    with pytest.raises(NotPermitted):
        patrol_start(actor=district.supervisor, kind=Patrol.Kind.LEADER_SPLIT)
    with pytest.raises(NotPermitted):
        patrol_start(actor=district.leader, kind=Patrol.Kind.MOCK_EVALUATION)
    assert patrol_start(actor=district.leader, kind=Patrol.Kind.LEADER_JOINT).leader == district.leader


def test_failed_item_becomes_a_ticket_linked_to_its_standard(district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    items = list(site_checklist(district.market))
    assert len(items) >= 3
    results = patrol_record_results(
        actor=district.supervisor,
        visit=visit,
        results=[
            {"standard": items[0], "result": "pass"},
            {
                "standard": items[1].pk,
                "result": "fail",
                "category": district.category.pk,
                "note": "占道摆摊三处",
                "photos": [jpeg()],
            },
            {"standard": items[2], "result": "na"},
        ],
    )
    failed = next(r for r in results if r.result == ChecklistResult.Result.FAIL)
    ticket = failed.ticket
    assert ticket is not None
    assert ticket.standard == items[1] and ticket.patrol_visit == visit and ticket.site == district.site_a
    assert ticket.source == Ticket.Source.PATROL and ticket.category == district.category
    assert ticket.description == "占道摆摊三处" and ticket.photos.count() == 1
    assert ChecklistResult.objects.filter(visit=visit, ticket__isnull=True).count() == 2
    assert Ticket.objects.count() == 1
    # An item is recorded once.
    with pytest.raises(ValidationError):
        patrol_record_results(
            actor=district.supervisor, visit=visit, results=[{"standard": items[0], "result": "pass"}]
        )


def test_a_bad_entry_records_nothing(district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    items = list(site_checklist(district.market))
    with pytest.raises(ValidationError):  # a fail without a category
        patrol_record_results(
            actor=district.supervisor,
            visit=visit,
            results=[{"standard": items[0], "result": "pass"}, {"standard": items[1], "result": "fail"}],
        )
    other = site_checklist(district.road).exclude(pk__in=[i.pk for i in items]).first()
    with pytest.raises(ValidationError):  # not on this site type's checklist
        patrol_record_results(actor=district.supervisor, visit=visit, results=[{"standard": other, "result": "pass"}])
    assert not ChecklistResult.objects.exists() and not Ticket.objects.exists()


def test_mock_evaluation_scores_items_and_totals_the_visit(district):
    patrol = patrol_start(actor=district.office, kind=Patrol.Kind.MOCK_EVALUATION)
    visit = patrol_check_in(actor=district.office, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    items = list(site_checklist(district.market))
    patrol_record_results(
        actor=district.office,
        visit=visit,
        results=[
            {"standard": items[0], "result": "pass"},  # full marks by default
            {"standard": items[1], "result": "pass", "score": "1.5"},
            {"standard": items[2], "result": "fail", "category": district.category},  # 0 by default
        ],
    )
    visit.refresh_from_db()
    assert visit.score == items[0].max_score + Decimal("1.5")
    ticket = Ticket.objects.get()
    assert ticket.source == Ticket.Source.MOCK_EVALUATION
    with pytest.raises(ValidationError):
        patrol_record_results(
            actor=district.office,
            visit=visit,
            results=[{"standard": items[3], "result": "pass", "score": items[3].max_score + 1}],
        )


def test_problems_and_fix_on_the_spot_come_from_the_visit(district):
    patrol = patrol_start(actor=district.unit, kind=Patrol.Kind.SELF_INSPECTION)
    lat, lng = district.site_b.lat, district.site_b.lng
    visit = patrol_check_in(actor=district.unit, patrol=patrol, site=district.site_b, lat=lat, lng=lng)
    ticket = patrol_report_problem(
        actor=district.unit, visit=visit, category=district.category, description="垃圾未清运", photos=[jpeg()]
    )
    assert ticket.patrol_visit == visit and ticket.source == Ticket.Source.SELF_INSPECTION
    fixed = patrol_fix_on_spot(
        actor=district.unit,
        visit=visit,
        category=district.category,
        description="共享单车已摆齐",
        before_photos=[jpeg("b.jpg")],
        after_photos=[jpeg("a.jpg")],
    )
    assert fixed.fixed_on_spot and fixed.status == Ticket.Status.SUBMITTED and fixed.patrol_visit == visit
    with pytest.raises(ValidationError):
        patrol_fix_on_spot(
            actor=district.unit,
            visit=visit,
            category=district.category,
            description="没有照片",
            before_photos=[],
            after_photos=[jpeg()],
        )


def test_finish(district):
    patrol = patrol_start(actor=district.supervisor, kind=Patrol.Kind.SUPERVISION_GROUP)
    from core.exceptions import DomainError

    with pytest.raises(DomainError):
        patrol_finish(actor=district.supervisor, patrol=patrol)  # nothing visited yet
    visit = patrol_check_in(actor=district.supervisor, patrol=patrol, site=district.site_a, lat=40.0768, lng=113.3001)
    with pytest.raises(NotPermitted):
        patrol_finish(actor=district.leader, patrol=patrol)
    patrol = patrol_finish(actor=district.supervisor, patrol=patrol, note="巡查结束")
    assert patrol.status == Patrol.Status.FINISHED and patrol.finished_at and "巡查结束" in patrol.note
    with pytest.raises(InvalidTransition):
        patrol_finish(actor=district.supervisor, patrol=patrol)
    with pytest.raises(InvalidTransition):
        patrol_record_results(
            actor=district.supervisor,
            visit=visit,
            results=[{"standard": site_checklist(district.market).first(), "result": "pass"}],
        )


def test_patrol_api_start_check_in_record_finish(client, district):
    client.force_login(district.supervisor)
    response = client.post(
        "/api/v1/patrols/", {"kind": "unannounced", "title": "暗访"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    lat, lng = offset(metres_north=20)
    response = client.post(
        f"/api/v1/patrols/{pid}/check-in/",
        {"site": district.site_a.pk, "lat": lat, "lng": lng},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["too_far"] is False
    visit_id = response.json()["id"]
    items = list(site_checklist(district.market))
    response = client.post(
        f"/api/v1/patrols/{pid}/results/",
        {
            "visit": visit_id,
            "results": [
                {"standard": items[0].pk, "result": "fail", "category": district.category.pk, "note": "乱摆"},
                {"standard": items[1].pk, "result": "pass"},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert {r["result"] for r in response.json()["results"]} == {"fail", "pass"}
    assert Ticket.objects.get().standard == items[0]
    response = client.post(
        f"/api/v1/patrols/{pid}/results/",
        {"visit": visit_id, "results": [{"standard": items[1].pk, "result": "pass"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.get(f"/api/v1/patrols/{pid}/")
    assert len(response.json()["visits"][0]["results"]) == 2
    assert (
        client.post(f"/api/v1/patrols/{pid}/finish/", {}, content_type="application/json").json()["status"]
        == "finished"
    )
    assert client.post(f"/api/v1/patrols/{pid}/finish/", {}, content_type="application/json").status_code == 409
    # Members join by id; a unit's self-inspection is done by its own people.
    response = client.post(
        "/api/v1/patrols/", {"kind": "special", "members": [district.office.pk]}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["members"] == [district.office.pk]
    client.force_login(district.unit)
    response = client.post(
        "/api/v1/patrols/",
        {"kind": "self_inspection", "members": [district.supervisor.pk]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "members" in response.json()
    # A unit may only start a self-inspection.
    client.force_login(district.unit)
    assert client.post("/api/v1/patrols/", {"kind": "special"}, content_type="application/json").status_code == 403
    assert client.get(f"/api/v1/patrols/{pid}/").status_code == 404  # not theirs, not in their scope
