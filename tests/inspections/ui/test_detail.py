"""The ticket page: what it shows, the actions each role gets, each action through its form, errors."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from inspections.models import ExtensionRequest, Ticket, TicketEvent, TicketPhoto

from .world import dispatched, jpeg_upload, rectifying, report, submitted

pytestmark = pytest.mark.django_db


def detail(ticket):
    return reverse("inspections:ticket_detail", args=[ticket.pk])


def act(ticket, action):
    return reverse("inspections:ticket_action", args=[ticket.pk, action])


def shown_actions(response):
    return set(re.findall(r'id="action-([a-z-]+)"', response.content.decode()))


def test_detail_shows_header_photos_and_timeline(world, client_for):
    ticket = submitted(world)
    body = client_for(world.office).get(detail(ticket)).content.decode()
    assert ticket.number in body
    assert "badge status-submitted" in body
    assert world.site_a.name in body and world.unit_a.name in body and world.category.name in body
    assert ticket.deadline.strftime("%Y-%m-%d") in body
    # before and after photos side by side, thumbnails linking to the full size
    photos = TicketPhoto.objects.filter(ticket=ticket)
    for photo in photos:
        assert f'href="{photo.image.url}"' in body and photo.thumbnail.url in body
    # the timeline, in order
    for label in ("上报", "派遣", "签收", "提交整改"):
        assert label in body
    assert "已清理摊位" in body  # the note of the submission


@pytest.mark.parametrize(
    "who, expected",
    [
        ("office", {"invalidate"}),
        ("unit", {"sign", "return", "extend"}),
        ("supervisor", set()),
        ("leader", set()),
    ],
)
def test_only_allowed_actions_are_offered_on_a_dispatched_ticket(world, client_for, who, expected):
    ticket = dispatched(world)
    response = client_for(getattr(world, who)).get(detail(ticket))
    assert response.status_code == 200
    assert shown_actions(response) == expected


@pytest.mark.parametrize(
    "who, expected",
    [
        ("office", {"verify", "invalidate"}),
        ("supervisor", {"verify"}),
        ("unit", set()),
    ],
)
def test_only_allowed_actions_are_offered_on_a_submitted_ticket(world, client_for, who, expected):
    ticket = submitted(world)
    assert shown_actions(client_for(getattr(world, who)).get(detail(ticket))) == expected


def test_office_gets_file_dispatch_invalidate_on_a_reported_ticket(world, client_for):
    ticket = report(world)
    assert shown_actions(client_for(world.office).get(detail(ticket))) == {"file", "dispatch", "invalidate"}


@pytest.mark.parametrize("who", ["unit2", "supervisor"])
def test_outside_scope_is_404(world, client_for, who):
    # Out of the supervisor's district: reported by the office (a supervisor reports only in scope).
    ticket = dispatched(world, site=world.site_b, actor=world.office) if who == "supervisor" else dispatched(world)
    client = client_for(getattr(world, who))
    assert client.get(detail(ticket)).status_code == 404
    assert client.post(act(ticket, "sign")).status_code == 404
    assert client.get(reverse("inspections:ticket_notice_pdf", args=[ticket.pk])).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DISPATCHED


def test_file_and_dispatch_through_the_page(world, client_for):
    ticket = report(world)
    client = client_for(world.office)
    response = client.post(act(ticket, "file"), {"file-note": "已受理"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.filed_at is not None
    deadline = timezone.localdate() + timedelta(days=7)
    response = client.post(act(ticket, "dispatch"), {"dispatch-unit": world.unit_a.pk, "dispatch-deadline": deadline})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.unit_id, ticket.deadline) == (Ticket.Status.DISPATCHED, world.unit_a.pk, deadline)
    page = client.get(detail(ticket)).content.decode()
    assert "问题已派遣" in page  # the success message


def test_dispatch_with_a_past_deadline_changes_nothing(world, client_for):
    ticket = report(world)
    response = client_for(world.office).post(
        act(ticket, "dispatch"),
        {
            "dispatch-unit": world.unit_a.pk,
            "dispatch-deadline": "2020-01-01",
        },
    )
    assert response.status_code == 400
    assert "期限不能早于今天" in response.content.decode()
    assert 'id="action-dispatch" open' in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REPORTED and ticket.unit_id == world.unit_a.pk


def test_dispatch_form_proposes_the_sites_unit_and_the_default_deadline(world, client_for):
    from inspections.tickets.working_days import add_working_days

    ticket = report(world)
    body = client_for(world.office).get(detail(ticket)).content.decode()
    default = add_working_days(timezone.localdate(), world.category.deadline_working_days)
    assert f'value="{default.isoformat()}"' in body
    assert f'<option value="{world.unit_a.pk}" selected>' in body


def test_sign_return_and_the_state_rule(world, client_for):
    ticket = dispatched(world)
    client = client_for(world.unit)
    assert client.post(act(ticket, "sign")).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RECTIFYING
    # signing twice: the service refuses (409 rule), the page says why, nothing changes
    events = TicketEvent.objects.filter(ticket=ticket).count()
    response = client.post(act(ticket, "sign"), follow=True)
    assert "msg-error" in response.content.decode()
    assert TicketEvent.objects.filter(ticket=ticket).count() == events


def test_return_needs_a_reason(world, client_for):
    ticket = dispatched(world)
    client = client_for(world.unit)
    response = client.post(act(ticket, "return"), {"return-reason": "   "})
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DISPATCHED
    client.post(act(ticket, "return"), {"return-reason": "该路段不属于我单位"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REPORTED and ticket.unit_id is None


def test_submit_with_photos_through_the_page(world, client_for):
    ticket = rectifying(world)
    client = client_for(world.unit)
    response = client.post(
        act(ticket, "submit"),
        {
            "submit-note": "摊位已清理",
            "submit-photos": [jpeg_upload("a.jpg"), jpeg_upload("b.jpg", (10, 200, 10))],
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SUBMITTED
    assert ticket.photos.filter(kind=TicketPhoto.Kind.AFTER).count() == 2


def zh(message, **values):
    """A message of the services as a Chinese user reads it."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    assert text != message, f"no Chinese for {message!r}"
    return text % values if values else text


@pytest.mark.parametrize(
    "photos, message",
    [
        ([], "请至少添加一张整改后拍摄的照片"),
        ([SimpleUploadedFile("fake.jpg", b"not an image at all", content_type="image/jpeg")], None),
    ],
)
def test_submit_bad_photos_shows_the_error_and_changes_nothing(world, client_for, photos, message):
    message = message or zh("“%(name)s” is not a JPEG, PNG or WebP photo.", name="fake.jpg")
    ticket = rectifying(world)
    response = client_for(world.unit).post(act(ticket, "submit"), {"submit-note": "已整改", "submit-photos": photos})
    assert response.status_code == 400
    assert message in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RECTIFYING
    assert not ticket.photos.filter(kind=TicketPhoto.Kind.AFTER).exists()


def test_verify_reject_needs_a_note_then_reject_then_pass(world, client_for):
    ticket = submitted(world)
    client = client_for(world.supervisor)
    response = client.post(act(ticket, "verify"), {"verify-approved": "no", "verify-note": ""})
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SUBMITTED and ticket.rework_count == 0
    client.post(act(ticket, "verify"), {"verify-approved": "no", "verify-note": "仍有摊位占道"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.rework_count) == (Ticket.Status.RECTIFYING, 1)
    from inspections.tickets.services import ticket_submit

    ticket_submit(actor=world.unit, ticket=ticket, note="再次清理", photos=[jpeg_upload()])
    client.post(act(ticket, "verify"), {"verify-approved": "yes"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED
    body = client.get(detail(ticket)).content.decode()
    assert "核查不通过" in body and "仍有摊位占道" in body and "核查通过并销号" in body


def test_unit_cannot_verify_its_own_rectification(world, client_for):
    ticket = submitted(world)
    response = client_for(world.unit).post(act(ticket, "verify"), {"verify-approved": "yes"}, follow=True)
    assert zh("Your role does not allow this action on this ticket.") in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SUBMITTED


def test_extension_request_and_decision(world, client_for):
    ticket = rectifying(world)
    unit = client_for(world.unit)
    response = unit.post(act(ticket, "extend"), {"extend-deadline": "2020-01-01", "extend-reason": "雨天"})
    assert response.status_code == 400
    assert not ExtensionRequest.objects.filter(ticket=ticket).exists()
    new_deadline = ticket.deadline + timedelta(days=5)
    unit.post(act(ticket, "extend"), {"extend-deadline": new_deadline, "extend-reason": "需要采购材料"})
    assert ExtensionRequest.objects.filter(ticket=ticket, status="pending").exists()
    office = client_for(world.office)
    page = office.get(detail(ticket))
    assert "decide-extension" in shown_actions(page)
    assert "需要采购材料" in page.content.decode()
    office.post(act(ticket, "decide-extension"), {"decide-extension-approved": "yes"})
    ticket.refresh_from_db()
    assert ticket.deadline == new_deadline and ticket.extension_count == 1
    body = office.get(detail(ticket)).content.decode()
    assert "同意延期" in body and new_deadline.isoformat() in body


def test_refusing_an_extension_needs_a_note(world, client_for):
    from inspections.tickets.services import ticket_request_extension

    ticket = rectifying(world)
    ticket_request_extension(actor=world.unit, ticket=ticket, deadline=ticket.deadline + timedelta(days=3), reason="x")
    response = client_for(world.office).post(act(ticket, "decide-extension"), {"decide-extension-approved": "no"})
    assert response.status_code == 400
    assert ExtensionRequest.objects.get(ticket=ticket).status == "pending"


def test_invalidate_needs_a_reason(world, client_for):
    ticket = report(world)
    client = client_for(world.office)
    assert client.post(act(ticket, "invalidate"), {"invalidate-reason": ""}).status_code == 400
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.REPORTED
    client.post(act(ticket, "invalidate"), {"invalidate-reason": "重复上报"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.INVALID


def test_unknown_action_is_404(world, client_for):
    ticket = report(world)
    assert client_for(world.office).post(act(ticket, "delete")).status_code == 404


def test_recurrence_link(world, client_for):
    from inspections.tickets.services import ticket_verify

    first = submitted(world)
    ticket_verify(actor=world.supervisor, ticket=first, approved=True)
    again = report(world)
    assert again.recurrence_of_id == first.pk
    body = client_for(world.office).get(detail(again)).content.decode()
    assert f'href="{detail(first)}"' in body and "反弹" in body
