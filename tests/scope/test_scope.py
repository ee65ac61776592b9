"""core.scope and core.registry: the one rule gives exactly today's selectors' rows for every role (so wiring the
apps to it changes nothing but the leaks), the scope is computed once per user object, wide reads need no user,
and a write's out-of-scope reference is a 400 on its field."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from core.registry import EVERYONE, SCOPED, Registry, own_unit_for_units, published_or_office, through
from core.scope import CITY_WIDE, NOBODY, district_wide, scope_of

from .world import ROLES, build_world, module


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def registry():
    from campaign.models import Person
    from inspections.models import Site, Ticket, TicketPhoto
    from publicity.models import Asset, AssetCheck
    from reports.models import Bulletin

    r = Registry()
    r.register(Ticket, visible=SCOPED, region="region", unit="unit")
    r.register(TicketPhoto, visible=through("ticket", Ticket))
    r.register(Site, visible=SCOPED, region="region", unit="unit", unit_reads_region=True)
    r.register(Asset, visible=SCOPED, region="region", unit="unit")
    r.register(AssetCheck, visible=through("asset", Asset))
    r.register(Bulletin, visible=published_or_office)
    r.register(Person, visible=own_unit_for_units("unit_id"))
    return r


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_scope_regions_are_todays(world, role):
    from campaign.selectors import region_ids_in_scope

    user = world.users[role]
    today = region_ids_in_scope(user)
    scope = scope_of(user)
    assert (None if scope.region_ids is None else set(scope.region_ids)) == today
    assert scope.read_only == (role in ("leader", "norole"))


@pytest.mark.parametrize("role", ROLES)
def test_rule_equals_todays_selectors(world, registry, role):
    """Same rows as tickets_visible_to, sites_visible_to, assets_visible_to, checks_visible_to,
    bulletins_visible_to, people_visible_to (the media registry's photos too): adopting it is behaviour-neutral."""
    from campaign.models import Person
    from campaign.selectors import people_visible_to
    from inspections.models import Site, Ticket, TicketPhoto

    tickets_visible_to = module("inspections.tickets.selectors", "inspections.selectors").tickets_visible_to
    from publicity.models import Asset, AssetCheck
    from publicity.selectors import assets_visible_to, checks_visible_to
    from reports.models import Bulletin
    from reports.selectors import bulletins_visible_to

    sites_visible_to = module("inspections.sites.selectors", "inspections.site_selectors").sites_visible_to

    user = world.users[role]
    assert _ids(registry.visible_to(Ticket, user)) == _ids(tickets_visible_to(user))
    assert _ids(registry.visible_to(TicketPhoto, user)) == _ids(
        TicketPhoto.objects.filter(ticket__in=tickets_visible_to(user))
    )
    assert _ids(registry.visible_to(Site, user)) == _ids(sites_visible_to(user))
    assert _ids(registry.visible_to(Asset, user)) == _ids(assets_visible_to(user))
    assert _ids(registry.visible_to(AssetCheck, user)) == _ids(checks_visible_to(user))
    assert _ids(registry.visible_to(Bulletin, user)) == _ids(bulletins_visible_to(user))
    assert _ids(registry.visible_to(Person, user)) == _ids(people_visible_to(user))


def test_scope_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = world.users["supervisor"]
    first = scope_of(user)
    with django_assert_num_queries(0):
        assert scope_of(user) is first
    assert scope_of(user, refresh=True) == first
    assert scope_of(None) is NOBODY


def test_signed_out_and_no_role_see_nothing(world, registry):
    from django.contrib.auth.models import AnonymousUser

    from inspections.models import Site, Ticket

    for who in (AnonymousUser(), None, world.users["norole"]):
        assert not registry.visible_to(Ticket, who).exists()
        assert not registry.visible_to(Site, who).exists()


def test_wide_reads_need_no_user(world, registry):
    from inspections.models import Site, Ticket
    from reports.models import Bulletin

    assert _ids(registry.city_wide(Ticket)) == _ids(Ticket.objects.all())
    assert _ids(registry.city_wide(Bulletin)) == _ids(Bulletin.objects.all())  # drafts too: a bulletin's own job
    d = world.refs["regions"]["d"]
    assert _ids(registry.district_wide(Site, d)) == {
        s.pk for s in world.refs["sites"] if s.region.path.startswith(d.path)
    }
    assert _ids(registry.visible_to(Site, district_wide(d))) == _ids(registry.district_wide(Site, d))
    with pytest.raises(ImproperlyConfigured):
        registry.district_wide(Bulletin, d)
    assert CITY_WIDE.read_only


def test_write_references_out_of_scope_are_400_per_field(world, registry):
    s1, s2, s3, s4 = world.refs["sites"]
    registry.require_visible(world.users["unit2"], site=s1)  # in its region
    with pytest.raises(ValidationError) as refused:
        registry.require_visible(world.users["unit2"], site=s4, patrol_visit=None)
    assert set(refused.value.message_dict) == {"site"}
    with pytest.raises(ValidationError):
        registry.require_visible(world.users["supervisor"], site=s3)


def test_a_model_declares_once(registry):
    from inspections.models import Ticket

    with pytest.raises(ImproperlyConfigured):
        registry.register(Ticket, visible=EVERYONE)
    with pytest.raises(ImproperlyConfigured):
        Registry().register(Ticket, visible=SCOPED)  # no path
    with pytest.raises(ImproperlyConfigured):
        Registry().register(Ticket, visible=SCOPED, region="region", surfaces={"listing": "x"})


def test_media_entries_narrow_files_to_visible_rows(world, registry):
    """core.media as a client: ticket photos follow their ticket; a narrower file rule (letters) applies on top."""
    from core.registry import office_or_own
    from inspections.models import TicketPhoto

    registry.unregister(TicketPhoto)
    registry.register(
        TicketPhoto,
        visible=through("ticket", module("inspections.models").Ticket),
        media=("tickets/", ("image", "thumbnail")),
        media_visible=office_or_own("uploaded_by"),
    )
    ((prefix, fields, visible, document, filename),) = list(registry.media_entries())
    assert (prefix, fields, document, filename) == ("tickets/", ("image", "thumbnail"), False, None)
    assert visible(world.users["office"]).count() == TicketPhoto.objects.count() > 0
    assert visible(world.users["leader"]).count() == 0  # sees the tickets, did not upload the photos
    assert visible(world.users["norole"]).count() == 0
