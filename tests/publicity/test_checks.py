import pytest
from django.core.exceptions import ValidationError

from core.exceptions import NotInScope, NotPermitted
from inspections.models import Category, Ticket
from publicity.models import AssetCheck
from publicity.services import asset_check_record
from tests.publicity.builders import close_ticket
from tests.volunteers.builders import jpeg

pytestmark = pytest.mark.django_db


def test_a_good_check_raises_nothing(vcity, make_asset):
    asset = make_asset()
    check = asset_check_record(actor=vcity.supervisor, asset=asset, condition="good", note="完好")
    asset.refresh_from_db()
    assert check.ticket is None and asset.condition == "good" and asset.last_checked_at is not None
    assert not Ticket.objects.exists()


def test_damage_raises_one_ticket_and_a_second_check_joins_it(vcity, make_asset):
    asset = make_asset(site=vcity.site_a)
    first = asset_check_record(
        actor=vcity.supervisor, asset=asset, condition="damaged", note="画面撕裂", photos=[jpeg("torn.jpg")]
    )
    ticket = first.ticket
    assert first.raised_ticket and ticket.source == Ticket.Source.PUBLICITY_CHECK
    assert ticket.category.code == "publicity_damage" and ticket.category.group == Category.Group.PUBLICITY
    assert ticket.category.name == "公益广告/宣传设施破损" and ticket.category.deadline_working_days == 3
    assert ticket.unit == asset.unit and ticket.site == vcity.site_a and ticket.status == "reported"
    assert asset.code in ticket.description and "破损" in ticket.description and "画面撕裂" in ticket.description
    assert ticket.photos.count() == 1 and first.photos.count() == 1
    asset.refresh_from_db()
    assert asset.condition == "damaged" and asset.open_ticket == ticket

    second = asset_check_record(actor=vcity.unit, asset=asset, condition="missing")
    assert second.ticket == ticket and not second.raised_ticket
    assert Ticket.objects.count() == 1
    asset.refresh_from_db()
    assert asset.condition == "missing" and asset.open_ticket == ticket


def test_closing_the_ticket_makes_the_asset_good_again(vcity, make_asset):
    asset = make_asset()
    ticket = asset_check_record(actor=vcity.supervisor, asset=asset, condition="faded").ticket
    close_ticket(vcity, ticket)
    asset.refresh_from_db()
    assert asset.condition == "good" and asset.open_ticket is None
    # A new problem after the closure is a new ticket (a recurrence at the same site).
    again = asset_check_record(actor=vcity.supervisor, asset=asset, condition="outdated")
    assert again.raised_ticket and again.ticket != ticket and Ticket.objects.count() == 2
    assert again.ticket.is_recurrence and again.ticket.recurrence_of == ticket


def test_an_invalidated_ticket_does_not_swallow_new_damage(vcity, make_asset):
    from inspections.tickets.services import ticket_invalidate

    asset = make_asset()
    ticket = asset_check_record(actor=vcity.supervisor, asset=asset, condition="damaged").ticket
    ticket_invalidate(actor=vcity.office, ticket=ticket, reason="重复上报")
    check = asset_check_record(actor=vcity.supervisor, asset=asset, condition="damaged")
    assert check.raised_ticket and check.ticket != ticket


def test_asset_placed_by_coordinates(vcity, make_asset):
    asset = make_asset(lat=40.09, lng=113.32, address="和平街口", region=vcity.street_b, unit=vcity.unit_b)
    ticket = asset_check_record(actor=vcity.unit2, asset=asset, condition="damaged").ticket
    assert ticket.site is None and ticket.region == vcity.street_b and ticket.unit == vcity.unit_b
    assert (ticket.lat, ticket.lng) == (40.09, 113.32)


def test_who_may_check_what(vcity, make_asset):
    mine = make_asset(site=vcity.site_a)  # unit A
    theirs = make_asset(site=vcity.site_b)  # unit B, street B
    with pytest.raises(NotInScope):
        asset_check_record(actor=vcity.unit2, asset=mine, condition="damaged")
    with pytest.raises(NotInScope):
        asset_check_record(actor=vcity.supervisor, asset=theirs, condition="damaged")  # street B not in scope
    with pytest.raises(NotPermitted):
        asset_check_record(actor=vcity.leader, asset=mine, condition="damaged")
    with pytest.raises(ValidationError):
        asset_check_record(actor=vcity.unit, asset=mine, condition="broken")
    with pytest.raises(ValidationError):
        asset_check_record(
            actor=vcity.unit,
            asset=mine,
            condition="damaged",
            photos=[__import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile("x.jpg", b"nope")],
        )
    assert not AssetCheck.objects.exists() and not Ticket.objects.exists()


def test_asset_create_rules(vcity, make_asset):
    from publicity.services import asset_create

    with pytest.raises(ValidationError) as caught:
        asset_create(actor=vcity.office, kind="x", theme="", quantity=0)
    assert {"kind", "theme", "site", "region", "unit", "quantity"} <= set(caught.value.error_dict)
    with pytest.raises(NotPermitted):
        asset_create(actor=vcity.unit, kind="poster", theme="t", site=vcity.site_a)
    asset = make_asset()
    assert asset.code == "XC-000001" and asset.region == vcity.community_a and asset.unit == vcity.unit_a
    assert make_asset().code == "XC-000002"
