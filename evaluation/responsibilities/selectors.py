"""Reads of the responsibility list: the visible duties shaped for a list, a unit's duties with their progress, and
a unit's three lists (三清单). Every read starts from `core.registry.visible_to`; progress is computed by the
database (correlated subqueries), never row by row.

Progress of a duty for a unit:
- material (the duty's method is 材料审核): the unit's material requirements of the duty's standard, and how many of
  them have a current submission that was accepted;
- field inspection (实地考察): the unit's open tickets about the standard (the ticket names the standard, or its site
  is of a type whose checklist has the standard);
- every duty: done (销号), overdue (not done and past its deadline) or due soon (within DUE_SOON_DAYS).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaign.models import Unit
from core.registry import visible_to
from evaluation.models import MaterialRequirement, MaterialSubmission, Responsibility

DUE_SOON_DAYS = 14
RECENT_DAYS = 30  # the rectifications list: tickets closed within this many days
LIST_LIMIT = 20  # rows of the problem and rectification lists on one page (a phone reads it)


def count_distinct(queryset) -> Coalesce:
    """COUNT(DISTINCT pk) of a correlated queryset as an annotation (0 when empty); distinct because visibility
    rules and the site-type checklist join many-valued relations."""
    counted = queryset.order_by().annotate(
        _n=Func(F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    )
    return Coalesce(Subquery(counted.values("_n")[:1], output_field=IntegerField()), 0)


def with_state(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """`is_done`, `is_overdue` (open and past its deadline; the deadline day itself is on time) and `is_due_soon`."""
    today = today or timezone.localdate()
    open_ = Q(done_at__isnull=True)
    return queryset.annotate(
        is_done=Case(When(done_at__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()),
        is_overdue=Case(
            When(open_ & Q(deadline__lt=today), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        is_due_soon=Case(
            When(open_ & Q(deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def shape(queryset: QuerySet) -> QuerySet:
    """What a row shows: the standard with its content and project, the lead unit, the responsible units."""
    return (
        with_state(queryset)
        .select_related("standard", "standard__parent", "standard__parent__parent", "lead_unit", "done_by")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("code")))
        .order_by("standard__sort_order", "standard__code", "sort_order", "id")
    )


def responsibility_list(*, user) -> QuerySet:
    """The duties the user may see, shaped for the list page, the API and the export, with the material of each
    duty's standard: `material_required` (requirement × submitting unit) and `material_accepted`."""
    requirements = visible_to(MaterialRequirement, user)
    pairs = MaterialRequirement.units.through.objects.filter(
        materialrequirement__standard=OuterRef("standard"), materialrequirement__in=requirements.values("pk")
    )
    accepted = visible_to(MaterialSubmission, user).filter(
        requirement__standard=OuterRef("standard"), is_current=True, status=MaterialSubmission.Status.ACCEPTED
    )
    return shape(visible_to(Responsibility, user)).annotate(
        material_required=count_distinct(pairs), material_accepted=count_distinct(accepted)
    )


def unit_duties(*, user, unit) -> QuerySet:
    """The duties of `unit` (it leads them or is responsible for them) the user may see, with the unit's own
    progress: `is_lead`, `material_required`, `material_accepted`, `open_tickets`."""
    from inspections.models import Ticket

    requirements = visible_to(MaterialRequirement, user).filter(standard=OuterRef("standard"), units=unit)
    accepted = visible_to(MaterialSubmission, user).filter(
        requirement__standard=OuterRef("standard"),
        unit=unit,
        is_current=True,
        status=MaterialSubmission.Status.ACCEPTED,
    )
    tickets = (
        visible_to(Ticket, user)
        .filter(unit=unit, status__in=Ticket.OPEN_STATUSES)
        .filter(Q(standard=OuterRef("standard")) | Q(site__site_type__standards=OuterRef("standard")))
    )
    mine = visible_to(Responsibility, user).filter(
        pk__in=Responsibility.objects.filter(Q(lead_unit=unit) | Q(units=unit)).values("pk")
    )
    return shape(mine).annotate(
        is_lead=Case(When(lead_unit=unit, then=Value(True)), default=Value(False), output_field=BooleanField()),
        material_required=count_distinct(requirements),
        material_accepted=count_distinct(accepted),
        open_tickets=count_distinct(tickets),
    )


def duty_counts(duties: QuerySet) -> dict:
    """The KPIs over a unit's duties in one query."""
    from django.db.models import Count

    return duties.order_by().aggregate(
        total=Count("pk", distinct=True),
        done=Count("pk", filter=Q(done_at__isnull=False), distinct=True),
        overdue=Count("pk", filter=Q(is_overdue=True), distinct=True),
        due_soon=Count("pk", filter=Q(is_due_soon=True), distinct=True),
    )


def three_lists_units(user) -> QuerySet:
    """The units whose 三清单 the user may open: every unit for the office and the leader, a supervisor's units in
    its regions, a unit liaison only its own."""
    from core.scope import scope_of

    scope = scope_of(user)
    units = Unit.objects.all()
    if scope.sees_everything:
        return units
    if scope.is_unit and scope.unit_id:
        return units.filter(pk=scope.unit_id)
    if scope.is_supervisor and scope.region_ids:
        return units.filter(region_id__in=scope.region_ids)
    return units.none()


def unit_problems(*, user, unit) -> QuerySet:
    """问题清单: the unit's open tickets not yet handed in (reported, dispatched, rectifying), most urgent first."""
    from inspections.models import Ticket
    from inspections.tickets.selectors import ticket_list

    S = Ticket.Status
    return (
        ticket_list(user=user)
        .filter(unit=unit, status__in=(S.REPORTED, S.DISPATCHED, S.RECTIFYING))
        .select_related("standard")
        .order_by(F("deadline").asc(nulls_last=True), "created_at", "id")
    )


def unit_rectifications(*, user, unit, today: date | None = None) -> QuerySet:
    """整改清单: what the unit has rectified: handed in and awaiting verification, or closed in the last RECENT_DAYS
    days, newest first."""
    from inspections.models import Ticket
    from inspections.tickets.selectors import ticket_list

    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=RECENT_DAYS), time.min))
    S = Ticket.Status
    return (
        ticket_list(user=user)
        .filter(unit=unit)
        .filter(Q(status=S.SUBMITTED) | Q(status=S.CLOSED, closed_at__gte=since))
        .select_related("standard")
        .order_by(F("closed_at").desc(nulls_first=True), F("submitted_at").desc(nulls_last=True), "-id")
    )
