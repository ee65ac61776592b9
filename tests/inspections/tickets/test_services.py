"""Every transition, every forbidden one, recurrence, extensions, notifications, the ticket_closed signal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.exceptions import InvalidTransition, NotInScope, NotPermitted
from core.models import Notification
from inspections.models import ExtensionRequest, Ticket, TicketEvent
from inspections.signals import ticket_closed
from inspections.tickets import services
from inspections.tickets.selectors import ticket_allowed_actions
from inspections.tickets.working_days import add_working_days

from .conftest import jpeg

pytestmark = pytest.mark.django_db


def actions(ticket):
    return list(ticket.events.order_by("id").values_list("action", "from_status", "to_status"))


def test_report_numbers_severity_region_unit(city, report):
    first = report()
    second = report(site=city.site_b)
    year = timezone.localdate().year
    assert first.number == f"{year}-000001" and second.number == f"{year}-000002"
    assert first.status == "reported" and first.severity == "high"
    assert first.region == city.community_a and first.unit == city.unit_a
    assert (first.lat, first.lng) == (city.site_a.lat, city.site_a.lng)
    assert actions(first) == [("report", "", "reported")]
    assert first.events.get().actor == city.supervisor


def test_report_with_photos_keeps_them_as_before(city, report):
    ticket = report(photos=[jpeg("a.jpg"), jpeg("b.png", fmt="PNG")])
    kinds = list(ticket.photos.values_list("kind", flat=True))
    assert kinds == ["before", "before"]
    photo = ticket.photos.first()
    assert photo.event.action == "report" and photo.thumbnail.name.endswith(".jpg")


def test_report_needs_description_and_a_place(city):
    with pytest.raises(ValidationError) as exc:
        services.ticket_report(
            actor=city.office, category=city.category, description="  ", source="office", site=city.site_a
        )
    assert "description" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.ticket_report(actor=city.office, category=city.category, description="x", source="office")
    assert "site" in exc.value.message_dict
    assert Ticket.objects.count() == 0


def test_full_loop_reported_to_closed(city, report):
    ticket = report()
    services.ticket_file(actor=city.office, ticket=ticket, note="受理")
    ticket.refresh_from_db()
    assert ticket.status == "reported" and ticket.filed_at is not None
    ticket = services.ticket_dispatch(actor=city.office, ticket=ticket, unit=city.unit_a)
    assert ticket.status == "dispatched" and ticket.unit == city.unit_a
    assert ticket.deadline == add_working_days(timezone.localdate(), 3)
    ticket = services.ticket_sign(actor=city.unit, ticket=ticket)
    assert ticket.status == "rectifying"
    ticket = services.ticket_submit(actor=city.unit, ticket=ticket, note="已清理", photos=[jpeg()])
    assert ticket.status == "submitted" and ticket.submitted_at
    assert ticket.photos.filter(kind="after").count() == 1
    ticket = services.ticket_verify(actor=city.supervisor, ticket=ticket, approved=True, note="核查通过")
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.closed_at and ticket.closed_on_time is True
    assert actions(ticket) == [
        ("report", "", "reported"),
        ("file", "reported", "reported"),
        ("dispatch", "reported", "dispatched"),
        ("sign", "dispatched", "rectifying"),
        ("submit", "rectifying", "submitted"),
        ("verify", "submitted", "closed"),
    ]


def test_dispatch_files_on_the_way_and_takes_an_explicit_deadline(city, report):
    ticket = report()
    deadline = timezone.localdate() + timedelta(days=20)
    ticket = services.ticket_dispatch(actor=city.office, ticket=ticket, unit=city.unit_b, deadline=deadline)
    assert ticket.filed_at and ticket.deadline == deadline and ticket.unit == city.unit_b
    assert ticket.events.get(action="dispatch").data["filed"] is True
    with pytest.raises(InvalidTransition):
        services.ticket_file(actor=city.office, ticket=ticket)


def test_dispatch_refuses_a_past_deadline(city, report):
    ticket = report()
    with pytest.raises(ValidationError) as exc:
        services.ticket_dispatch(
            actor=city.office, ticket=ticket, unit=city.unit_a, deadline=timezone.localdate() - timedelta(days=1)
        )
    assert "deadline" in exc.value.message_dict
    ticket.refresh_from_db()
    assert ticket.status == "reported" and ticket.events.count() == 1


def test_filing_twice_is_refused(city, report):
    ticket = report()
    services.ticket_file(actor=city.office, ticket=ticket)
    with pytest.raises(InvalidTransition):
        services.ticket_file(actor=city.office, ticket=ticket)


def test_rejection_counts_a_rework_and_notifies_the_unit(city, advance, django_capture_on_commit_callbacks):
    ticket = advance("submitted")
    with pytest.raises(ValidationError):
        services.ticket_verify(actor=city.office, ticket=ticket, approved=False, note="")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_verify(actor=city.office, ticket=ticket, approved=False, note="仍有摊位")
    assert ticket.status == "rectifying" and ticket.rework_count == 1
    assert Notification.objects.filter(recipient=city.unit, verb="ticket_rework").count() == 1
    ticket = services.ticket_submit(actor=city.unit, ticket=ticket, note="再次整改", photos=[jpeg()])
    ticket = services.ticket_verify(actor=city.office, ticket=ticket, approved=True)
    assert ticket.status == "closed" and ticket.rework_count == 1


def test_closing_late_is_not_on_time(city, advance):
    ticket = advance("submitted")
    Ticket.objects.filter(pk=ticket.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    ticket = services.ticket_verify(actor=city.office, ticket=ticket, approved=True)
    assert ticket.closed_on_time is False


def test_return_clears_the_unit_and_tells_the_office(city, advance, django_capture_on_commit_callbacks):
    ticket = advance("rectifying")
    with pytest.raises(ValidationError):
        services.ticket_return(actor=city.unit, ticket=ticket, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_return(actor=city.unit, ticket=ticket, reason="不属于本单位")
    assert ticket.status == "reported" and ticket.unit is None and ticket.deadline is None
    note = Notification.objects.get(recipient=city.office, verb="ticket_returned")
    assert ticket.number in note.title and "城管局" in note.title
    ticket = services.ticket_dispatch(actor=city.office, ticket=ticket, unit=city.unit_b)
    assert ticket.status == "dispatched" and ticket.unit == city.unit_b


def test_submit_needs_an_after_photo(city, advance):
    ticket = advance("rectifying")
    with pytest.raises(ValidationError) as exc:
        services.ticket_submit(actor=city.unit, ticket=ticket, note="done", photos=[])
    assert "photos" in exc.value.message_dict
    ticket.refresh_from_db()
    assert ticket.status == "rectifying"


def test_dispatch_notifies_the_units_users_after_commit(city, report, django_capture_on_commit_callbacks, mailoutbox):
    ticket = report()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.ticket_dispatch(actor=city.office, ticket=ticket, unit=city.unit_a)
    assert not Notification.objects.filter(recipient=city.unit).exists()  # nothing before commit
    for callback in callbacks:
        callback()
    note = Notification.objects.get(recipient=city.unit)
    assert note.verb == "ticket_dispatched" and ticket.number in note.title
    assert "派" in note.title  # written in the campaign's language (Chinese)
    assert not Notification.objects.filter(recipient=city.unit2).exists()


def test_invalidate_any_open_state_but_not_closed(city, advance):
    for status in ("reported", "dispatched", "rectifying", "submitted"):
        ticket = advance(status)
        ticket = services.ticket_invalidate(actor=city.office, ticket=ticket, reason="重复上报")
        assert ticket.status == "invalid"
        assert actions(ticket)[-1] == ("invalidate", status, "invalid")
    closed = advance("closed")
    with pytest.raises(InvalidTransition):
        services.ticket_invalidate(actor=city.office, ticket=closed, reason="x")


FORBIDDEN_STATES = {
    "sign": ("reported", "rectifying", "submitted", "closed", "invalid"),
    "submit": ("dispatched", "submitted", "closed", "invalid"),
    "return": ("submitted", "closed", "invalid"),
    "verify": ("reported", "dispatched", "rectifying", "closed", "invalid"),
    "dispatch": ("dispatched", "rectifying", "submitted", "closed", "invalid"),
    "file": ("dispatched", "rectifying", "submitted", "closed", "invalid"),
    "invalidate": ("closed", "invalid"),
    "extend": ("submitted", "closed", "invalid"),
}


def _call(action, city, ticket):
    # A unit liaison of the ticket's unit for unit actions; the office otherwise.
    unit_user = city.unit
    if action == "sign":
        return services.ticket_sign(actor=unit_user, ticket=ticket)
    if action == "submit":
        return services.ticket_submit(actor=unit_user, ticket=ticket, note="x", photos=[jpeg()])
    if action == "return":
        return services.ticket_return(actor=unit_user, ticket=ticket, reason="x")
    if action == "extend":
        return services.ticket_request_extension(
            actor=unit_user, ticket=ticket, reason="x", deadline=timezone.localdate() + timedelta(days=60)
        )
    if action == "verify":
        return services.ticket_verify(actor=city.office, ticket=ticket, approved=True)
    if action == "dispatch":
        return services.ticket_dispatch(actor=city.office, ticket=ticket, unit=city.unit_a)
    if action == "file":
        return services.ticket_file(actor=city.office, ticket=ticket)
    if action == "invalidate":
        return services.ticket_invalidate(actor=city.office, ticket=ticket, reason="x")
    raise AssertionError(action)


@pytest.mark.parametrize("action,state", [(a, s) for a, states in FORBIDDEN_STATES.items() for s in states])
def test_forbidden_transitions_are_409_and_change_nothing(city, advance, action, state):
    ticket = advance(state)
    if ticket.unit_id is None and action in ("sign", "submit", "return", "extend"):
        # reported/invalid tickets without a unit are not visible to a unit user at all
        Ticket.objects.filter(pk=ticket.pk).update(unit=city.unit_a)
        ticket.refresh_from_db()
    before = (ticket.status, ticket.events.count())
    with pytest.raises(InvalidTransition) as exc:
        _call(action, city, ticket)
    assert str(exc.value.message)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.events.count()) == before


def test_wrong_role_is_403_and_out_of_scope_is_404(city, advance):
    ticket = advance("dispatched")  # unit A, street A
    with pytest.raises(NotPermitted):
        services.ticket_dispatch(actor=city.supervisor, ticket=advance("reported"), unit=city.unit_a)
    with pytest.raises(NotPermitted):
        services.ticket_sign(actor=city.office, ticket=ticket)
    with pytest.raises(NotPermitted):
        services.ticket_sign(actor=city.leader, ticket=ticket)
    with pytest.raises(NotInScope):
        services.ticket_sign(actor=city.unit2, ticket=ticket)  # another unit's ticket
    submitted = advance("submitted")
    with pytest.raises(NotInScope):
        services.ticket_verify(actor=city.supervisor_b, ticket=submitted, approved=True)  # street B supervisor
    with pytest.raises(NotPermitted):
        services.ticket_verify(actor=city.unit, ticket=submitted, approved=True)
    with pytest.raises(NotPermitted):
        services.ticket_verify(actor=city.leader, ticket=submitted, approved=True)
    assert services.ticket_verify(actor=city.supervisor, ticket=submitted, approved=True).status == "closed"


def test_recurrence_within_the_window_links_the_earlier_ticket(city, advance, report, settings):
    settings.RECURRENCE_WINDOW_DAYS = 30
    closed = advance("closed")
    again = report()
    assert again.is_recurrence and again.recurrence_of == closed
    assert again.events.get().data == {"recurrence_of": closed.number}
    other_category = report(category=city.category_slow)
    other_site = report(site=city.site_b)
    assert not other_category.is_recurrence and not other_site.is_recurrence
    Ticket.objects.filter(pk=closed.pk).update(closed_at=timezone.now() - timedelta(days=31))
    Ticket.objects.filter(pk=again.pk).update(status="invalid")
    late = report()
    assert not late.is_recurrence and late.recurrence_of is None


def test_open_ticket_is_not_a_recurrence_source(city, advance, report):
    advance("rectifying")
    assert not report().is_recurrence


def test_extension_request_and_approval_keep_deadline_history(city, advance, django_capture_on_commit_callbacks):
    ticket = advance("rectifying")
    old = ticket.deadline
    with pytest.raises(ValidationError) as exc:
        services.ticket_request_extension(actor=city.unit, ticket=ticket, deadline=old, reason="材料未到")
    assert "deadline" in exc.value.message_dict
    new = old + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.ticket_request_extension(actor=city.unit, ticket=ticket, deadline=new, reason="材料未到")
    assert Notification.objects.filter(recipient=city.office, verb="ticket_extension_requested").exists()
    assert request.old_deadline == old and request.status == "pending"
    with pytest.raises(InvalidTransition):
        services.ticket_request_extension(actor=city.unit, ticket=ticket, deadline=new + timedelta(days=1), reason="x")
    with pytest.raises(NotPermitted):
        services.ticket_decide_extension(actor=city.unit, ticket=ticket, approved=True)
    ticket = services.ticket_decide_extension(actor=city.office, ticket=ticket, approved=True, note="同意")
    assert ticket.deadline == new and ticket.extension_count == 1
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == city.office
    event = ticket.events.get(action="decide_extension")
    assert event.data["old_deadline"] == old.isoformat() and event.data["new_deadline"] == new.isoformat()
    with pytest.raises(InvalidTransition):  # nothing pending any more
        services.ticket_decide_extension(actor=city.office, ticket=ticket, approved=True)


def test_refused_extension_keeps_the_deadline(city, advance):
    ticket = advance("dispatched")
    old = ticket.deadline
    services.ticket_request_extension(actor=city.unit, ticket=ticket, deadline=old + timedelta(days=5), reason="x")
    with pytest.raises(ValidationError):
        services.ticket_decide_extension(actor=city.office, ticket=ticket, approved=False, note="")
    ticket = services.ticket_decide_extension(actor=city.office, ticket=ticket, approved=False, note="不予延期")
    assert ticket.deadline == old and ticket.extension_count == 0
    assert ExtensionRequest.objects.get(ticket=ticket).status == "refused"


def test_fix_on_spot_goes_straight_to_verification(city):
    with pytest.raises(ValidationError) as exc:
        services.ticket_fix_on_spot(
            actor=city.supervisor,
            category=city.category,
            description="乱堆物料",
            site=city.site_a,
            before_photos=[jpeg()],
            after_photos=[],
        )
    assert "photos" in exc.value.message_dict
    assert Ticket.objects.count() == 0
    ticket = services.ticket_fix_on_spot(
        actor=city.supervisor,
        category=city.category,
        description="乱堆物料",
        site=city.site_a,
        before_photos=[jpeg()],
        after_photos=[jpeg(), jpeg()],
    )
    assert ticket.status == "submitted" and ticket.fixed_on_spot and ticket.unit == city.unit_a
    assert sorted(ticket.photos.values_list("kind", flat=True)) == ["after", "after", "before"]
    assert actions(ticket) == [("report", "", "reported"), ("fix_on_spot", "reported", "submitted")]
    ticket = services.ticket_verify(actor=city.office, ticket=ticket, approved=True)
    assert ticket.status == "closed" and ticket.closed_on_time is True


def test_ticket_closed_signal_is_sent_once_on_closing(city, advance):
    received = []

    def listener(sender, ticket, **kwargs):
        received.append(ticket.pk)

    ticket_closed.connect(listener)
    try:
        ticket = advance("submitted")
        services.ticket_verify(actor=city.office, ticket=ticket, approved=False, note="返工")
        assert received == []
        services.ticket_submit(actor=city.unit, ticket=ticket, photos=[jpeg()])
        services.ticket_verify(actor=city.office, ticket=ticket, approved=True)
        assert received == [ticket.pk]
    finally:
        ticket_closed.disconnect(listener)


def test_allowed_actions_follow_role_state_and_scope(city, advance):
    reported = advance("reported")
    assert ticket_allowed_actions(user=city.office, ticket=reported) == ["file", "dispatch", "invalidate"]
    assert ticket_allowed_actions(user=city.leader, ticket=reported) == []
    dispatched = advance("dispatched")
    assert ticket_allowed_actions(user=city.unit, ticket=dispatched) == ["sign", "return", "extend"]
    assert ticket_allowed_actions(user=city.unit2, ticket=dispatched) == []
    rectifying = advance("rectifying")
    services.ticket_request_extension(
        actor=city.unit, ticket=rectifying, deadline=rectifying.deadline + timedelta(days=3), reason="x"
    )
    assert ticket_allowed_actions(user=city.unit, ticket=rectifying) == ["return", "submit"]
    assert ticket_allowed_actions(user=city.office, ticket=rectifying) == ["decide-extension", "invalidate"]
    submitted = advance("submitted")
    assert ticket_allowed_actions(user=city.supervisor, ticket=submitted) == ["verify"]
    assert ticket_allowed_actions(user=city.supervisor_b, ticket=submitted) == []
    assert ticket_allowed_actions(user=city.office, ticket=submitted) == ["verify", "invalidate"]


def test_every_event_is_kept(city, advance):
    ticket = advance("closed")
    assert TicketEvent.objects.filter(ticket=ticket).count() == 5


def test_closing_settles_a_pending_extension(city, advance):
    ticket = advance("rectifying")
    services.ticket_request_extension(
        actor=city.unit, ticket=ticket, deadline=ticket.deadline + timedelta(days=4), reason="等材料"
    )
    services.ticket_submit(actor=city.unit, ticket=ticket, photos=[jpeg()])
    services.ticket_verify(actor=city.office, ticket=ticket, approved=True)
    request = ExtensionRequest.objects.get(ticket=ticket)
    assert request.status == "refused" and request.decided_at is not None
