"""Issue 10's findings in inspections, publicity and reports, one test each (each failed before its fix).

The world is the matrix's (world.py), built once for the module; each test's own writes roll back."""

from unittest.mock import patch

import pytest
from django.test import Client
from django.urls import reverse

from core.registry import REGISTRY, visible_to

from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _site(world, code):
    return next(s for s in world.refs["sites"] if s.code == code)


# --- Ticket create through the API, and ticket_report -------------------------------------------------------


@pytest.mark.parametrize(("role", "site_code"), [("unit2", "S3"), ("supervisor", "S2"), ("unit", "S3")])
def test_api_ticket_create_at_a_site_out_of_scope_is_400_on_site(world, db, role, site_code):
    from inspections.models import Ticket

    count = Ticket.objects.count()
    response = _client(world.users[role]).post(
        reverse("api_ticket-list"),
        {"category": world.refs["category"].pk, "description": "越权上报", "site": _site(world, site_code).pk},
    )
    assert response.status_code == 400, response.content
    assert "site" in response.json()
    assert Ticket.objects.count() == count


def test_api_ticket_create_on_another_patrols_visit_out_of_scope_is_400(world, db):
    """The visit at S2 of the office's patrol: unit2 sees it (S2 is theirs), unit (城管局) sees the patrol too;
    the far patrol's visit at S3 nobody scoped sees."""
    from inspections.models import PatrolVisit, Ticket

    far_visit = PatrolVisit.objects.get(patrol=world.refs["patrols"]["far"])
    count = Ticket.objects.count()
    response = _client(world.users["unit2"]).post(
        reverse("api_ticket-list"),
        {
            "category": world.refs["category"].pk,
            "description": "挂到别人的巡查",
            "site": _site(world, "S2").pk,
            "patrol_visit": far_visit.pk,
        },
    )
    assert response.status_code == 400, response.content
    assert "patrol_visit" in response.json()
    assert Ticket.objects.count() == count


def test_ticket_report_refuses_region_and_unit_out_of_scope(world, db):
    """The service itself (the web form, imports and patrols call it too): a supervisor reporting in another
    district's region, a unit liaison naming another unit, each a 400 on the field, nothing written."""
    from django.core.exceptions import ValidationError

    from inspections.models import Ticket
    from inspections.tickets.services import ticket_report

    count = Ticket.objects.count()
    with pytest.raises(ValidationError) as region_error:
        ticket_report(
            actor=world.users["supervisor"],
            category=world.refs["category"],
            description="区外",
            source="patrol",
            region=world.refs["regions"]["sc"],
        )
    assert "region" in region_error.value.message_dict
    with pytest.raises(ValidationError) as unit_error:
        ticket_report(
            actor=world.users["unit2"],
            category=world.refs["category"],
            description="别的单位",
            source="self_inspection",
            unit=world.refs["units"]["c"],
            region=world.refs["regions"]["sa"],
        )
    assert "unit" in unit_error.value.message_dict
    assert Ticket.objects.count() == count
    # In scope still works: the supervisor in their own street.
    ticket = ticket_report(
        actor=world.users["supervisor"],
        category=world.refs["category"],
        description="区内",
        source="patrol",
        region=world.refs["regions"]["sa"],
    )
    assert ticket.pk


# --- Publicity ---------------------------------------------------------------------------------------------


def test_asset_detail_lists_only_visible_tickets(world, db):
    """unit_a's asset at S1 raised a ticket since dispatched to unit_b: unit_a's liaison sees the asset, not it."""
    from inspections.models import Ticket
    from publicity.models import Asset

    asset = Asset.objects.get(site=_site(world, "S1"))
    raised = Ticket.objects.get(asset_checks__asset=asset)
    assert raised.unit == world.refs["units"]["b"]
    html = _client(world.users["unit"]).get(reverse("publicity:asset_detail", args=[asset.pk])).content.decode()
    assert raised.number not in html
    office = _client(world.users["office"]).get(reverse("publicity:asset_detail", args=[asset.pk])).content.decode()
    assert raised.number in office


@pytest.mark.parametrize("role", ["supervisor", "unit", "unit2", "norole"])
def test_publicity_figures_follow_the_scope(world, db, role):
    from publicity.models import Asset

    user = world.users[role]
    expected = visible_to(Asset, user).count()
    assert expected < Asset.objects.count()
    api = _client(user).get(reverse("publicity-figures"))
    assert api.status_code == 200
    assert api.json()["assets"]["total"] == expected
    page = _client(user).get(reverse("publicity:figures"))
    assert page.status_code == 200
    assert page.context["figures"]["assets"]["total"] == expected


# --- Counts that ignore scope ------------------------------------------------------------------------------


def test_site_open_ticket_count_counts_only_visible_tickets(world, db):
    """unit_a reads S2 (in its unit's region) but not unit_b's ticket there."""
    from inspections.models import Ticket

    site = _site(world, "S2")
    user = world.users["unit"]
    response = _client(user).get(reverse("inspections-site-detail", args=[site.pk]))
    listed = _client(user).get(reverse("inspections-site-list"), {"page_size": 100}).json()["results"]
    row = next(r for r in listed if r["id"] == site.pk)
    expected = visible_to(Ticket, user).filter(site=site, status__in=Ticket.OPEN_STATUSES).count()
    assert expected == 0 < Ticket.objects.filter(site=site, status__in=Ticket.OPEN_STATUSES).count()
    assert row["open_ticket_count"] == expected
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "unit", "unit2"])
def test_patrol_ticket_count_counts_only_visible_tickets(world, db, role):
    from inspections.models import Ticket
    from inspections.sites.selectors import patrol_get_for, patrol_list

    user = world.users[role]
    patrol = world.refs["patrols"]["mixed"]
    row = patrol_list(user=user).get(pk=patrol.pk)
    expected = visible_to(Ticket, user).filter(patrol_visit__patrol=patrol).count()
    assert expected < Ticket.objects.filter(patrol_visit__patrol=patrol).count()
    assert row.ticket_count == expected
    visits = patrol_get_for(user=user, pk=patrol.pk).visits.all()
    assert sum(v.ticket_count for v in visits) == expected


def test_patrol_record_sheet_prints_only_visible_ticket_numbers(world, db):
    from inspections.models import Ticket

    user = world.users["unit2"]
    patrol = world.refs["patrols"]["mixed"]
    captured = {}

    def as_html(template_name, context):
        from django.template.loader import render_to_string

        captured["html"] = render_to_string(template_name, context)
        return b"%PDF-1.7 test"

    with patch("core.pdf.render_pdf", as_html):
        response = _client(user).get(reverse("inspections:patrol_sheet", args=[patrol.pk]))
    assert response.status_code == 200
    tickets = Ticket.objects.filter(patrol_visit__patrol=patrol)
    shown = {t.number for t in tickets if t.number in captured["html"]}
    assert shown == {t.number for t in visible_to(Ticket, user).filter(pk__in=tickets)}
    assert shown  # their own is printed


def test_visit_page_lists_only_visible_tickets(world, db):
    from inspections.models import PatrolVisit, Ticket

    user = world.users["unit"]  # sees S2 (its unit's region), not unit_b's ticket from the visit there
    visit = PatrolVisit.objects.get(patrol=world.refs["patrols"]["mixed"], site=_site(world, "S2"))
    html = _client(user).get(reverse("inspections:visit_detail", args=[visit.pk])).content.decode()
    for ticket in Ticket.objects.filter(patrol_visit=visit):
        assert ticket.number not in html


# --- The map -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["office", "supervisor", "unit", "unit2", "leader", "norole"])
def test_site_map_lists_exactly_the_visible_sites(world, db, role):
    """map_sites and sites_visible_to agree (a unit liaison reads its unit's region); no role: 200, empty."""
    from inspections.models import Site

    user = world.users[role]
    response = _client(user).get(reverse("api_map_sites"))
    assert response.status_code == 200
    shown = {f["id"] for f in response.json()["features"]}
    assert shown == set(visible_to(Site, user).values_list("pk", flat=True))


# --- Bulletins and registrations ---------------------------------------------------------------------------


def test_bulletin_figures_read_city_wide_without_a_made_up_user(world, db):
    """The bulletin's ticket figures are the named city-wide read: the same as the office's, and no User is
    constructed on the way."""
    from core.models import User
    from inspections.tickets.selectors import ticket_stats
    from reports import figures

    assert not hasattr(figures, "city_wide_reader")
    with patch.object(User, "__init__", side_effect=AssertionError("a made-up user")):
        wide = figures.ticket_figures(start=None, end=None)
    assert wide == ticket_stats(user=world.users["office"])


def test_every_model_of_these_apps_declares_its_visibility_once(world, db):
    from django.apps import apps

    skipped = {"SerialCounter"}  # a number sequence: never shown (history rows show on their object's page)
    for label in ("inspections", "publicity", "reports"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__ not in skipped and not model.__name__.startswith("Historical"):
                assert model in REGISTRY, f"{model.__name__} has no visibility declared"


def test_selectors_are_the_registry(world, db):
    """tickets_visible_to, sites_visible_to, patrols_visible_to, assets_visible_to, bulletins_visible_to read the
    one declaration (same SQL), so no copy of a rule can drift."""
    from inspections.models import Patrol, Site, Ticket
    from inspections.sites.selectors import patrols_visible_to, sites_visible_to
    from inspections.tickets.selectors import tickets_visible_to
    from publicity.models import Asset
    from publicity.selectors import assets_visible_to
    from reports.models import Bulletin
    from reports.selectors import bulletins_visible_to

    for user in world.users.values():
        for model, selector in (
            (Ticket, tickets_visible_to),
            (Site, sites_visible_to),
            (Patrol, patrols_visible_to),
            (Asset, assets_visible_to),
            (Bulletin, bulletins_visible_to),
        ):
            assert _sql(selector(user)) == _sql(visible_to(model, user))


def _sql(queryset):
    from django.core.exceptions import EmptyResultSet

    try:
        return str(queryset.query)
    except EmptyResultSet:
        return "nothing"


def test_in_memory_rule_agrees_with_the_query(world, db):
    """Scope.admits (row_is_visible: the ticket action checks, no query) and Scope.q (every list) are one rule."""
    from core.registry import row_is_visible
    from inspections.models import Site, Ticket
    from publicity.models import Asset

    for user in world.users.values():
        for model in (Ticket, Site, Asset):
            visible = set(visible_to(model, user).values_list("pk", flat=True))
            for row in model.objects.all():
                assert row_is_visible(row, user) == (row.pk in visible), (user.username, model.__name__, row.pk)
