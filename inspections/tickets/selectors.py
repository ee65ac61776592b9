"""Reads of tickets: the one visibility rule, what a user may do with a ticket, and the one computation of
figures (used by pages, the API, the map wall and the bulletins alike)."""

from datetime import date, datetime, time, timedelta
from statistics import median

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from campaign.models import Region
from core.exceptions import NotInScope
from core.registry import row_is_visible, visible_q, visible_to
from core.scope import scope_of
from inspections.models import ExtensionRequest, Ticket

OPEN = Ticket.OPEN_STATUSES
ACTIONS = ("file", "dispatch", "sign", "return", "submit", "verify", "extend", "decide-extension", "invalidate")


# --- Visibility ----------------------------------------------------------------------------------


def tickets_visible_to(user) -> QuerySet:
    """The tickets the user (or a wide read) may see: the declaration in inspections/visibility.py."""
    return visible_to(Ticket, user)


def ticket_is_visible(*, user, ticket: Ticket) -> bool:
    """The same rule for one ticket already in memory (no query)."""
    return row_is_visible(ticket, user)


def ticket_scope_q(user, *, prefix: str) -> Q:
    """The tickets' rule as a condition along a join (`prefix`, e.g. "tickets__"), for counts kept in one query."""
    return visible_q(Ticket, user, prefix=prefix)


def ticket_get_for(*, user, pk) -> Ticket:
    """The ticket if the user may see it; NotInScope (404) otherwise, whether it exists or not."""
    from django.utils.translation import gettext as _

    try:
        return (
            with_is_overdue(tickets_visible_to(user))
            .select_related("site", "site__site_type", "category", "unit", "region", "reporter", "recurrence_of")
            .get(pk=pk)
        )
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise NotInScope(_("Ticket not found.")) from None


# --- Overdue -------------------------------------------------------------------------------------


def local_today() -> date:
    return timezone.localdate()


def overdue_q(today: date | None = None, prefix: str = "") -> Q:
    """Open and past its deadline (the deadline day itself is still on time), dates in Asia/Shanghai."""
    today = today or local_today()
    return Q(**{f"{prefix}status__in": OPEN, f"{prefix}deadline__lt": today})


def with_is_overdue(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Annotate `is_overdue` on a ticket queryset (computed by the database)."""
    return queryset.annotate(
        is_overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def ticket_list(*, user, filters: dict | None = None) -> QuerySet:
    """The ticket list of pages, API and export: visible tickets, overdue flag, the related rows a row shows."""
    queryset = with_is_overdue(tickets_visible_to(user)).select_related("site", "category", "unit", "region")
    if filters:
        from inspections.tickets.filtersets import TicketFilterSet

        queryset = TicketFilterSet(filters, queryset=queryset).qs
    return queryset


# --- What a user may do --------------------------------------------------------------------------


def ticket_action_refusal(*, user, ticket: Ticket, action: str, has_pending_extension: bool | None = None):
    """None if `user` may do `action` on `ticket` now; otherwise the DomainError class and its message.
    One table for the services (which raise it) and for the pages (which show only allowed actions).
    Order of checks: scope (404), role (403), state (409)."""
    from django.utils.translation import gettext as _

    from core.exceptions import InvalidTransition, NotPermitted

    S = Ticket.Status
    if not ticket_is_visible(user=user, ticket=ticket):
        return NotInScope, _("Ticket not found.")
    scope = scope_of(user)
    is_office = scope.is_office
    own_unit = scope.is_unit and bool(scope.unit_id) and ticket.unit_id == scope.unit_id
    rules = {
        "file": (is_office, (S.REPORTED,)),
        "dispatch": (is_office, (S.REPORTED,)),
        "invalidate": (is_office, OPEN),
        "decide-extension": (is_office, (S.DISPATCHED, S.RECTIFYING)),
        "sign": (own_unit, (S.DISPATCHED,)),
        "return": (own_unit, (S.DISPATCHED, S.RECTIFYING)),
        "submit": (own_unit, (S.RECTIFYING,)),
        "extend": (own_unit, (S.DISPATCHED, S.RECTIFYING)),
        # A supervisor who can see the ticket has it in scope (tickets_visible_to).
        "verify": (is_office or scope.is_supervisor, (S.SUBMITTED,)),
    }
    if action not in rules:
        raise ValueError(f"unknown ticket action {action!r}")
    allowed_role, statuses = rules[action]
    if not allowed_role:
        return NotPermitted, _("Your role does not allow this action on this ticket.")
    if ticket.status not in statuses:
        return InvalidTransition, _("A ticket that is “%(status)s” cannot be changed this way.") % {
            "status": ticket.get_status_display()
        }
    if action == "file" and ticket.filed_at:
        return InvalidTransition, _("This ticket has already been filed.")
    if action in ("extend", "decide-extension"):
        if has_pending_extension is None:
            has_pending_extension = ExtensionRequest.objects.filter(
                ticket=ticket, status=ExtensionRequest.Status.PENDING
            ).exists()
        if action == "extend" and has_pending_extension:
            return InvalidTransition, _("An extension request for this ticket is already waiting for a decision.")
        if action == "decide-extension" and not has_pending_extension:
            return InvalidTransition, _("There is no extension request waiting for a decision.")
    return None


def ticket_allowed_actions(*, user, ticket: Ticket) -> list[str]:
    """The actions (API names: file, dispatch, sign, return, submit, verify, extend, decide-extension,
    invalidate) the user may take on this ticket now. The UI shows only these."""
    if not ticket_is_visible(user=user, ticket=ticket):
        return []
    pending = None
    if ticket.status in (Ticket.Status.DISPATCHED, Ticket.Status.RECTIFYING):
        pending = ExtensionRequest.objects.filter(ticket=ticket, status=ExtensionRequest.Status.PENDING).exists()
    return [
        action
        for action in ACTIONS
        if ticket_action_refusal(user=user, ticket=ticket, action=action, has_pending_extension=pending) is None
    ]


def ticket_events(*, ticket: Ticket) -> QuerySet:
    """The full history, oldest first, with actor and photos."""
    return ticket.events.select_related("actor").prefetch_related("photos").order_by("created_at", "id")


def ticket_pending_extension(*, ticket: Ticket) -> ExtensionRequest | None:
    return (
        ExtensionRequest.objects.select_related("requested_by")
        .filter(ticket=ticket, status=ExtensionRequest.Status.PENDING)
        .first()
    )


# --- Figures -------------------------------------------------------------------------------------


class _Epoch(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class _Median(Aggregate):
    """percentile_cont(0.5): PostgreSQL's exact median (an ordered-set aggregate)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _group_models():
    from campaign.models import Unit
    from inspections.models import Category, SiteType

    return {"unit": Unit, "category": Category, "site_type": SiteType}


GROUP_FIELDS = {
    "unit": ("unit_id", "unit__name"),
    "category": ("category_id", "category__name"),
    "site_type": ("site__site_type_id", "site__site_type__name"),
}
METRICS = (
    "found",
    "closed",
    "rectification_rate",
    "on_time_rate",
    "overdue_open",
    "rework_rate",
    "recurrence_rate",
    "extension_rate",
    "median_days_to_close",
)


def day_bounds(start: date | None, end: date | None):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(start, time.min), tz) if start else None
    hi = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz) if end else None
    return lo, hi


def _rate(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else None


def ticket_stats(
    *,
    user,
    group_by: str | None = None,
    start: date | None = None,
    end: date | None = None,
    filters: dict | None = None,
    today: date | None = None,
):
    """The figures of the tickets the user can see, computed by the database with conditional aggregation.

    Cohort: the tickets reported between `start` and `end` (inclusive local dates; open-ended when None),
    invalid ones excluded. `found` counts them; `closed`, the rates and the median are over them.
    `overdue_open` is a stock: every ticket reported up to `end` that is open and overdue today.
    Rates are fractions 0–1 (4 decimals), None when there is nothing to divide by; `median_days_to_close` is in
    days (1 decimal). `filters` are extra ORM lookups on Ticket (e.g. {"unit_id__in": [1, 2]}).

    group_by None → one dict; "unit" | "region" | "category" | "site_type" → a list of dicts with `id` and
    `name` first, ordered by name (region groups by street: the tickets under each street/town).
    """
    if group_by not in (None, "unit", "region", "category", "site_type"):
        raise ValueError(f"unknown group_by {group_by!r}")
    today = today or local_today()
    lo, hi = day_bounds(start, end)
    base = tickets_visible_to(user).exclude(status=Ticket.Status.INVALID)
    if filters:
        base = base.filter(**filters)
    if hi:
        base = base.filter(created_at__lt=hi)
    in_period = Q(created_at__gte=lo) if lo else Q()

    def count(condition=None):
        condition = in_period & condition if condition is not None else in_period
        return Count("id", filter=condition or None)

    closed = Q(status=Ticket.Status.CLOSED)
    aggregates = {
        "found": count(),
        "closed": count(closed),
        "closed_on_time": count(closed & Q(closed_on_time=True)),
        "overdue_open": Count("id", filter=overdue_q(today)),
        "reworked": count(Q(rework_count__gt=0)),
        "recurrences": count(Q(is_recurrence=True)),
        "extended": count(Q(extension_count__gt=0)),
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        # closed_at is NULL for every ticket not closed, and percentile_cont ignores NULLs.
        seconds = _Epoch(F("closed_at") - F("created_at"))
        if in_period:
            seconds = Case(When(in_period, then=seconds), default=None, output_field=FloatField())
        aggregates["median_seconds"] = _Median(seconds)
    closed = in_period & closed

    if group_by is None:
        with transaction.atomic():
            if postgres:
                _more_sort_memory()
            row = base.aggregate(**aggregates)
        if not postgres:
            row["median_seconds"] = _median_fallback(base.filter(closed), None).get(None)
        return _shape(row)

    if group_by == "region":
        rows = _region_rows(base, aggregates)
    else:
        # Grouped by the id alone (a narrow sort for percentile_cont); the names come in one more query.
        key_field, model = GROUP_FIELDS[group_by][0], _group_models()[group_by]
        with transaction.atomic():
            if postgres:
                _more_sort_memory()
            rows = list(
                base.exclude(**{f"{key_field}__isnull": True})
                .values(key_field)
                .annotate(**aggregates)
                .order_by(key_field)
            )
        names = dict(model.objects.filter(pk__in=[r[key_field] for r in rows]).values_list("pk", "name"))
        for row in rows:
            row["id"] = row.pop(key_field)
            row["name"] = names.get(row["id"], "")
        rows.sort(key=lambda r: (r["name"], r["id"]))
    if not postgres:
        medians = _median_fallback(base.filter(closed), group_by)
        for row in rows:
            row["median_seconds"] = medians.get(row["id"])
    return [_shape(row) for row in rows if row["found"] or row["overdue_open"]]


def _more_sort_memory():
    """percentile_cont sorts every closed ticket of a group: give this transaction enough memory to sort 100,000
    rows in RAM instead of on disk (the default work_mem is 4 MB)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '32MB'")


def _region_rows(base, aggregates):
    """Group by street/town: each region under a street maps to that street (worked out from the region paths
    in Python, a few hundred rows), so the database groups tickets by an integer key in one query."""
    streets = list(Region.objects.filter(level=Region.Level.STREET).values("id", "name", "path"))
    if not streets:
        return []
    street_of = {}
    for region_id, path in Region.objects.values_list("id", "path"):
        for street in streets:
            if path.startswith(street["path"]):
                street_of[region_id] = street["id"]
                break
    members = {}
    for region_id, street_id in street_of.items():
        members.setdefault(street_id, []).append(region_id)
    if not members:
        return []
    key = Case(
        *[When(region_id__in=ids, then=Value(street_id)) for street_id, ids in members.items()],
        default=None,
        output_field=IntegerField(),
    )
    grouped = (
        base.filter(region_id__in=list(street_of))
        .annotate(group_key=key)
        .values("group_key")
        .annotate(**aggregates)
        .order_by("group_key")
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _more_sort_memory()
        grouped = list(grouped)
    names = {s["id"]: s["name"] for s in streets}
    rows = []
    for row in grouped:
        row["id"] = row.pop("group_key")
        row["name"] = names[row["id"]]
        rows.append(row)
    rows.sort(key=lambda r: (r["name"], r["id"]))
    return rows


def _median_fallback(closed_tickets, group_by):
    """SQLite has no percentile_cont: fetch the closed tickets' durations (one query) and take medians."""
    if group_by == "region":
        streets = list(Region.objects.filter(level=Region.Level.STREET).values_list("id", "path"))
        values = closed_tickets.values_list("region__path", "created_at", "closed_at")

        def key(path):
            return next((sid for sid, spath in streets if path and path.startswith(spath)), None)
    elif group_by:
        values = closed_tickets.values_list(GROUP_FIELDS[group_by][0], "created_at", "closed_at")

        def key(value):
            return value
    else:
        values = closed_tickets.values_list(Value(None, output_field=FloatField()), "created_at", "closed_at")

        def key(value):
            return None

    durations = {}
    for group, created, closed_at in values:
        durations.setdefault(key(group), []).append((closed_at - created).total_seconds())
    return {group: median(seconds) for group, seconds in durations.items()}


def _shape(row):
    found, closed = row["found"], row["closed"]
    seconds = row.pop("median_seconds", None)
    shaped = {k: row[k] for k in ("id", "name") if k in row}
    shaped.update(
        found=found,
        closed=closed,
        rectification_rate=_rate(closed, found),
        on_time_rate=_rate(row["closed_on_time"], closed),
        overdue_open=row["overdue_open"],
        rework_rate=_rate(row["reworked"], found),
        recurrence_rate=_rate(row["recurrences"], found),
        extension_rate=_rate(row["extended"], found),
        median_days_to_close=None if seconds is None else round(seconds / 86400, 1),
    )
    return shaped


# --- Map -----------------------------------------------------------------------------------------


def parse_bbox(value: str | None):
    """'minlng,minlat,maxlng,maxlat' → a tuple of floats, or None when absent. ValueError when malformed."""
    if not value:
        return None
    parts = [float(p) for p in value.split(",")]
    if len(parts) != 4 or parts[0] > parts[2] or parts[1] > parts[3]:
        raise ValueError("bbox")
    return tuple(parts)


def map_sites(*, user, bbox=None, region=None, category=None, today: date | None = None) -> QuerySet:
    """The visible sites with coordinates (the sites' rule, as the site list), each with its open and overdue
    ticket counts among the tickets the user can see (computed by the database; one query). `region` keeps the
    sites under it; `category` counts only tickets of that category — the map wall's filters, so sites and ticket
    markers agree."""
    from inspections.models import Site

    today = today or local_today()
    sites = visible_to(Site, user).filter(is_active=True, lat__isnull=False, lng__isnull=False)
    if bbox:
        sites = sites.filter(lng__gte=bbox[0], lat__gte=bbox[1], lng__lte=bbox[2], lat__lte=bbox[3])
    if region is not None:
        sites = sites.filter(region__path__startswith=region.path)
    # The counts follow the tickets' rule, on the join: only the open tickets the user sees are joined (the
    # condition sits in the JOIN, served by the (site, status) index).
    scoped = Q(tickets__status__in=OPEN) & ticket_scope_q(user, prefix="tickets__")
    if category is not None:
        scoped &= Q(tickets__category_id=category.pk)
    return (
        sites.select_related("site_type")
        .annotate(open_tickets=FilteredRelation("tickets", condition=scoped))
        .annotate(
            open_count=Count("open_tickets"),
            overdue_count=Count("open_tickets", filter=Q(open_tickets__deadline__lt=today)),
        )
        .order_by("id")
    )


def map_tickets(*, user, bbox=None, filters: dict | None = None) -> QuerySet:
    """Open tickets (or as filtered) that have a position: their own, or their site's."""
    from django.db.models.functions import Coalesce

    queryset = (
        ticket_list(user=user, filters=filters)
        .annotate(map_lat=Coalesce("lat", "site__lat"), map_lng=Coalesce("lng", "site__lng"))
        .filter(map_lat__isnull=False, map_lng__isnull=False)
    )
    if not filters or not filters.get("status"):
        queryset = queryset.filter(status__in=OPEN)
    if bbox:
        queryset = queryset.filter(
            map_lng__gte=bbox[0], map_lat__gte=bbox[1], map_lng__lte=bbox[2], map_lat__lte=bbox[3]
        )
    return queryset
