"""Every change to a ticket: one function per transition.

Each one checks scope (NotInScope, 404), role (NotPermitted, 403) and state (InvalidTransition, 409) through
inspections.tickets.selectors.ticket_action_refusal, locks the ticket row, saves with update_fields, writes one
TicketEvent, and sends notifications after commit.

Filing (受理): `ticket_file` records that the office accepted the report (`filed_at`, event "file"); the status
stays "reported" until dispatch. `ticket_dispatch` files on the way when that has not happened yet.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.exceptions import DomainError, NotPermitted
from core.registry import require_visible
from core.roles import Role
from core.scope import scope_of
from core.services import notification_send
from inspections import signals
from inspections.models import (
    Category,
    ExtensionRequest,
    SerialCounter,
    SupervisionOrder,
    Ticket,
    TicketEvent,
    TicketPhoto,
)
from inspections.tickets.photos import save_ticket_photos, validate_photos
from inspections.tickets.selectors import local_today, ticket_action_refusal
from inspections.tickets.working_days import add_working_days, working_days_between

S = Ticket.Status
E = Ticket.Escalation

# Escalation thresholds: a reminder card this many working days before the deadline, then supervision orders
# when the ticket is this many calendar days overdue.
REMINDER_WORKING_DAYS_BEFORE = 1
WHITE_DAYS_OVERDUE = 1
YELLOW_DAYS_OVERDUE = 3
RED_DAYS_OVERDUE = 7
ESCALATED_STATUSES = (S.DISPATCHED, S.RECTIFYING)  # submitted tickets wait for the verifier, not the unit


# --- helpers -------------------------------------------------------------------------------------


def next_serial(*, kind: str, year: int) -> int:
    """The next number of a per-year series; one statement, safe under concurrency (row lock on conflict)."""
    table = connection.ops.quote_name(SerialCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (kind, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [kind, year],
        )
        return cursor.fetchone()[0]


def ticket_url(ticket) -> str:
    try:
        return reverse("inspections:ticket_detail", args=[ticket.pk])
    except NoReverseMatch:
        return ""


def _users(**filters):
    from core.models import User

    return list(User.objects.filter(is_active=True, **filters))


def _notify_later(*, recipients_filter: dict, verb: str, title: str, body: str, ticket):
    """Notifications in the campaign's language (the recipients read Chinese, whatever the language of the
    request that caused them), created after commit. `title` and `body` may be callables, evaluated then."""
    with translation.override(settings.LANGUAGE_CODE):
        title = str(title() if callable(title) else title)
        body = str(body() if callable(body) else body)
    url = ticket_url(ticket)

    def send():
        notification_send(recipients=_users(**recipients_filter), verb=verb, title=title, body=body, url=url)

    transaction.on_commit(send)


def _notify_unit(*, unit_id, verb, title, body, ticket):
    if unit_id:
        _notify_later(
            recipients_filter={"unit_id": unit_id, "role": Role.UNIT}, verb=verb, title=title, body=body, ticket=ticket
        )


def _notify_office(*, verb, title, body, ticket):
    _notify_later(recipients_filter={"role": Role.OFFICE}, verb=verb, title=title, body=body, ticket=ticket)


def _lock(*, actor, ticket, action) -> Ticket:
    """Lock the ticket row, then check on its current state (another request may have changed it)."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    refusal = ticket_action_refusal(user=actor, ticket=locked, action=action)
    if refusal:
        error, message = refusal
        raise error(message)
    return locked


def _event(*, ticket, action, from_status, actor, note="", data=None, at=None) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        actor=actor,
        note=note or "",
        data=data or {},
        created_at=at or timezone.now(),
    )


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _can_report(actor):
    if not actor or not actor.is_authenticated or not actor.is_active:
        raise NotPermitted(_("Sign in to report a problem."))
    scope = scope_of(actor)
    if not (scope.is_office or scope.is_supervisor or scope.is_unit or scope.is_leader):
        raise NotPermitted(_("Your role does not allow reporting problems."))


def _data_date(value):
    return value.isoformat() if value else None


# --- report --------------------------------------------------------------------------------------


def _find_recurrence(*, site, category, now) -> Ticket | None:
    if site is None:
        return None
    window_start = now - timedelta(days=settings.RECURRENCE_WINDOW_DAYS)
    return (
        Ticket.objects.filter(site=site, category=category, status=S.CLOSED, closed_at__gte=window_start)
        .order_by("-closed_at", "-id")
        .first()
    )


def _require_targets_in_scope(actor, *, site, unit, region, patrol_visit):
    """A report names only what the reporter may see: the site and patrol visit by their declared rule
    (core.registry), and — since every signed-in user reads regions and units — the region as the ticket's own
    region path and the unit (a liaison's own) as its unit path. 400 on each such field, before anything is
    written."""
    errors = {}
    try:
        require_visible(actor, site=site, patrol_visit=patrol_visit)
    except ValidationError as error:
        errors.update(error.message_dict)
    scope = scope_of(actor)
    # The region counts only without a site (the site's region is the ticket's); a liaison's own unit's ticket
    # is theirs wherever it is.
    if (
        site is None
        and region is not None
        and not scope.admits(
            region_id=region.pk,
            unit_id=unit.pk if unit is not None else scope.unit_id,
            has_region=True,
            has_unit=scope.is_unit,
            unit_reads_region=True,
        )
    ):
        errors["region"] = [_("Choose one within your scope.")]
    if unit is not None and scope.is_unit and unit.pk != scope.unit_id:
        errors["unit"] = [_("Choose one within your scope.")]
    if errors:
        raise ValidationError(errors)


def _create_ticket(
    *, actor, category, description, source, site, unit, region, lat, lng, standard, patrol_visit, now
) -> Ticket:
    if not isinstance(category, Category):
        raise ValidationError({"category": _("Choose a problem category.")})
    _require_targets_in_scope(actor, site=site, unit=unit, region=region, patrol_visit=patrol_visit)
    description = _required(description, "description", _("Describe the problem."))
    if source not in Ticket.Source.values:
        raise ValidationError({"source": _("Choose where the report comes from.")})
    if site is None and region is None and (lat is None or lng is None):
        raise ValidationError({"site": _("Choose a site, a region or a position on the map.")})
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("Give both latitude and longitude, or neither.")})
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": _("This position is not on the map.")})
    if site is not None:
        region = site.region
        unit = unit or site.unit
        if lat is None and site.lat is not None:
            lat, lng = site.lat, site.lng
    if unit is None and scope_of(actor).is_unit and actor.unit_id:
        unit = actor.unit  # self-inspection without a site: the reporting unit's own problem
    if region is None and unit is not None:
        region = unit.region
    earlier = _find_recurrence(site=site, category=category, now=now)
    year = timezone.localtime(now).year
    ticket = Ticket.objects.create(
        number=f"{year}-{next_serial(kind='ticket', year=year):06d}",
        site=site,
        category=category,
        description=description,
        severity=category.severity,
        source=source,
        status=S.REPORTED,
        region=region,
        unit=unit,
        standard=standard,
        reporter=actor,
        patrol_visit=patrol_visit,
        lat=lat,
        lng=lng,
        is_recurrence=earlier is not None,
        recurrence_of=earlier,
        created_at=now,
    )
    return ticket


@transaction.atomic
def ticket_report(
    *,
    actor,
    category,
    description,
    source,
    site=None,
    unit=None,
    region=None,
    lat=None,
    lng=None,
    photos=(),
    standard=None,
    patrol_visit=None,
) -> Ticket:
    """A new problem (reported 待受理). Severity from the category; region (and unit, by default) from the site.
    A problem of the same category at the same site within RECURRENCE_WINDOW_DAYS of an earlier one's closure
    is marked as a recurrence (反弹) of it."""
    _can_report(actor)
    photos = validate_photos(photos)
    now = timezone.now()
    ticket = _create_ticket(
        actor=actor,
        category=category,
        description=description,
        source=source,
        site=site,
        unit=unit,
        region=region,
        lat=lat,
        lng=lng,
        standard=standard,
        patrol_visit=patrol_visit,
        now=now,
    )
    data = {"recurrence_of": ticket.recurrence_of.number} if ticket.recurrence_of_id else {}
    event = _event(ticket=ticket, action="report", from_status="", actor=actor, data=data, at=now)
    save_ticket_photos(ticket=ticket, files=photos, kind=TicketPhoto.Kind.BEFORE, user=actor, event=event)
    if not scope_of(actor).is_office:
        _notify_office(
            verb="ticket_reported",
            title=lambda: (
                _("New problem %(number)s: %(category)s") % {"number": ticket.number, "category": category.name}
            ),
            body=ticket.description[:200],
            ticket=ticket,
        )
    return ticket


@transaction.atomic
def ticket_fix_on_spot(
    *,
    actor,
    category,
    description,
    site,
    before_photos,
    after_photos,
    source=None,
    note="",
    lat=None,
    lng=None,
    standard=None,
    patrol_visit=None,
) -> Ticket:
    """立行立改: found and fixed during the patrol. Reported with before and after photos, goes straight to
    verification (submitted)."""
    _can_report(actor)
    if site is None:
        raise ValidationError({"site": _("Choose the site where the problem was fixed.")})
    before = validate_photos(before_photos, required=True, message=_("Add a photo taken before the fix."))
    after = validate_photos(after_photos, required=True, message=_("Add a photo taken after the fix."))
    now = timezone.now()
    ticket = _create_ticket(
        actor=actor,
        category=category,
        description=description,
        source=source or Ticket.Source.PATROL,
        site=site,
        unit=None,
        region=None,
        lat=lat,
        lng=lng,
        standard=standard,
        patrol_visit=patrol_visit,
        now=now,
    )
    data = {"recurrence_of": ticket.recurrence_of.number} if ticket.recurrence_of_id else {}
    report = _event(ticket=ticket, action="report", from_status="", actor=actor, data=data, at=now)
    save_ticket_photos(ticket=ticket, files=before, kind=TicketPhoto.Kind.BEFORE, user=actor, event=report)
    ticket.status = S.SUBMITTED
    ticket.fixed_on_spot = True
    ticket.submitted_at = now
    ticket.save(update_fields=["status", "fixed_on_spot", "submitted_at", "updated_at"])
    fixed = _event(ticket=ticket, action="fix_on_spot", from_status=S.REPORTED, actor=actor, note=note, at=now)
    save_ticket_photos(ticket=ticket, files=after, kind=TicketPhoto.Kind.AFTER, user=actor, event=fixed)
    return ticket


# --- office --------------------------------------------------------------------------------------


@transaction.atomic
def ticket_file(*, actor, ticket, note="") -> Ticket:
    """受理: the office accepts the report. Status stays reported; `filed_at` is set."""
    ticket = _lock(actor=actor, ticket=ticket, action="file")
    ticket.filed_at = timezone.now()
    ticket.save(update_fields=["filed_at", "updated_at"])
    _event(ticket=ticket, action="file", from_status=S.REPORTED, actor=actor, note=note)
    return ticket


@transaction.atomic
def ticket_dispatch(*, actor, ticket, unit, deadline: date | None = None, note="") -> Ticket:
    """派遣: to a responsible unit, with a deadline (default: the category's working days from today)."""
    from campaign.models import Unit

    ticket = _lock(actor=actor, ticket=ticket, action="dispatch")
    if not isinstance(unit, Unit) or not unit.is_active:
        raise ValidationError({"unit": _("Choose an active responsible unit.")})
    today = local_today()
    if deadline is None:
        deadline = add_working_days(today, ticket.category.deadline_working_days)
    elif deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    now = timezone.now()
    data = {"unit": unit.pk, "unit_name": unit.name, "deadline": deadline.isoformat()}
    fields = ["status", "unit", "deadline", "dispatched_at", "updated_at"]
    if not ticket.filed_at:
        ticket.filed_at = now
        fields.append("filed_at")
        data["filed"] = True
    ticket.status, ticket.unit, ticket.deadline, ticket.dispatched_at = S.DISPATCHED, unit, deadline, now
    ticket.save(update_fields=fields)
    _event(ticket=ticket, action="dispatch", from_status=S.REPORTED, actor=actor, note=note, data=data, at=now)
    _notify_unit(
        unit_id=unit.pk,
        verb="ticket_dispatched",
        ticket=ticket,
        title=lambda: _("Ticket %(number)s dispatched to your unit") % {"number": ticket.number},
        body=lambda: (
            _("%(category)s, deadline %(deadline)s. %(description)s")
            % {
                "category": ticket.category.name,
                "deadline": deadline.isoformat(),
                "description": ticket.description[:200],
            }
        ),
    )
    return ticket


@transaction.atomic
def ticket_dispatch_many(*, actor, tickets, unit=None, deadline: date | None = None) -> list[Ticket]:
    """Bulk dispatch, all or nothing: to one unit, or (unit=None) each ticket to its site's own unit.
    Every ticket is checked first; one refusal dispatches none and names every ticket that was refused."""
    tickets = sorted(tickets, key=lambda t: t.pk)  # a fixed lock order: two bulk dispatches cannot deadlock
    problems = []
    for ticket in tickets:
        refusal = ticket_action_refusal(user=actor, ticket=ticket, action="dispatch")
        if refusal:
            problems.append(f"{ticket.number}: {refusal[1]}")
        elif unit is None and not (ticket.site and ticket.site.unit_id):
            reason = _("the ticket has no site with a responsible unit.")
            problems.append(f"{ticket.number}: {reason}")
    if problems:
        raise DomainError(_("Nothing was dispatched:") + " " + "; ".join(problems))
    dispatched = []
    for ticket in tickets:
        try:
            dispatched.append(
                ticket_dispatch(actor=actor, ticket=ticket, unit=unit or ticket.site.unit, deadline=deadline)
            )
        except ValidationError as exc:
            messages = (
                [m for values in exc.message_dict.values() for m in values]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise DomainError(
                _("Nothing was dispatched:") + " " + "; ".join(f"{ticket.number}: {m}" for m in messages)
            ) from exc
        except DomainError as exc:
            raise DomainError(
                _("Nothing was dispatched:") + f" {ticket.number}: {exc.message}", field=exc.field
            ) from exc
    return dispatched


@transaction.atomic
def ticket_invalidate(*, actor, ticket, reason) -> Ticket:
    """作废: a duplicate or not a problem. Any open state → invalid; a pending extension is refused with it."""
    reason = _required(reason, "reason", _("Give the reason for marking the ticket invalid."))
    ticket = _lock(actor=actor, ticket=ticket, action="invalidate")
    previous = ticket.status
    ticket.status = S.INVALID
    ticket.save(update_fields=["status", "updated_at"])
    ExtensionRequest.objects.filter(ticket=ticket, status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.REFUSED, decided_by=actor, decided_at=timezone.now(), decision_note=reason
    )
    _event(ticket=ticket, action="invalidate", from_status=previous, actor=actor, note=reason)
    _notify_unit(
        unit_id=ticket.unit_id,
        verb="ticket_invalidated",
        ticket=ticket,
        title=lambda: _("Ticket %(number)s was marked invalid") % {"number": ticket.number},
        body=reason,
    )
    return ticket


@transaction.atomic
def ticket_decide_extension(*, actor, ticket, approved: bool, note="") -> Ticket:
    """The office approves (new deadline, extension_count + 1) or refuses the pending extension request."""
    ticket = _lock(actor=actor, ticket=ticket, action="decide-extension")
    request = ExtensionRequest.objects.select_for_update().get(ticket=ticket, status=ExtensionRequest.Status.PENDING)
    if not approved:
        _required(note, "note", _("Give the reason for refusing the extension."))
    now = timezone.now()
    old = ticket.deadline
    request.status = ExtensionRequest.Status.APPROVED if approved else ExtensionRequest.Status.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note or ""
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    data = {
        "approved": bool(approved),
        "old_deadline": _data_date(old),
        "requested_deadline": request.requested_deadline.isoformat(),
        "extension_request": request.pk,
    }
    if approved:
        ticket.deadline = request.requested_deadline
        ticket.extension_count = F("extension_count") + 1
        ticket.save(update_fields=["deadline", "extension_count", "updated_at"])
        ticket.refresh_from_db(fields=["extension_count"])
        data["new_deadline"] = ticket.deadline.isoformat()
    _event(
        ticket=ticket, action="decide_extension", from_status=ticket.status, actor=actor, note=note, data=data, at=now
    )
    values = {"number": ticket.number, "deadline": _data_date(ticket.deadline)}
    _notify_unit(
        unit_id=ticket.unit_id,
        verb="ticket_extension_decided",
        ticket=ticket,
        body=note or "",
        title=lambda: (
            (
                _("Extension of ticket %(number)s approved: new deadline %(deadline)s")
                if approved
                else _("Extension of ticket %(number)s refused: the deadline stays %(deadline)s")
            )
            % values
        ),
    )
    return ticket


# --- unit ----------------------------------------------------------------------------------------


@transaction.atomic
def ticket_sign(*, actor, ticket) -> Ticket:
    """签收: the unit takes the ticket on; rectification starts."""
    ticket = _lock(actor=actor, ticket=ticket, action="sign")
    ticket.status = S.RECTIFYING
    ticket.save(update_fields=["status", "updated_at"])
    _event(ticket=ticket, action="sign", from_status=S.DISPATCHED, actor=actor)
    return ticket


@transaction.atomic
def ticket_return(*, actor, ticket, reason) -> Ticket:
    """退回: not this unit's problem. Back to reported without a unit; the office dispatches it again."""
    reason = _required(reason, "reason", _("Say why this ticket is not your unit's."))
    ticket = _lock(actor=actor, ticket=ticket, action="return")
    previous, unit = ticket.status, ticket.unit
    ExtensionRequest.objects.filter(ticket=ticket, status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.REFUSED, decided_at=timezone.now(), decision_note=reason
    )
    ticket.status, ticket.unit, ticket.deadline = S.REPORTED, None, None
    ticket.save(update_fields=["status", "unit", "deadline", "updated_at"])
    _event(
        ticket=ticket,
        action="return",
        from_status=previous,
        actor=actor,
        note=reason,
        data={"unit": unit.pk, "unit_name": unit.name},
    )
    _notify_office(
        verb="ticket_returned",
        ticket=ticket,
        body=reason,
        title=lambda: _("Ticket %(number)s returned by %(unit)s") % {"number": ticket.number, "unit": unit.name},
    )
    return ticket


@transaction.atomic
def ticket_submit(*, actor, ticket, note="", photos=()) -> Ticket:
    """整改完成: the unit submits its rectification with at least one after-photo; it waits for verification."""
    photos = validate_photos(photos, required=True, message=_("Add at least one photo taken after the rectification."))
    ticket = _lock(actor=actor, ticket=ticket, action="submit")
    now = timezone.now()
    ticket.status, ticket.submitted_at = S.SUBMITTED, now
    ticket.save(update_fields=["status", "submitted_at", "updated_at"])
    event = _event(ticket=ticket, action="submit", from_status=S.RECTIFYING, actor=actor, note=note, at=now)
    save_ticket_photos(ticket=ticket, files=photos, kind=TicketPhoto.Kind.AFTER, user=actor, event=event)
    return ticket


@transaction.atomic
def ticket_request_extension(*, actor, ticket, deadline: date, reason) -> ExtensionRequest:
    """延期申请: one pending at a time, for a later deadline; the office decides."""
    reason = _required(reason, "reason", _("Give the reason for the extension."))
    ticket = _lock(actor=actor, ticket=ticket, action="extend")
    if not isinstance(deadline, date):
        raise ValidationError({"deadline": _("Give the new deadline.")})
    if (ticket.deadline and deadline <= ticket.deadline) or deadline <= local_today():
        raise ValidationError({"deadline": _("The new deadline must be later than the current one.")})
    request = ExtensionRequest.objects.create(
        ticket=ticket, requested_by=actor, old_deadline=ticket.deadline, requested_deadline=deadline, reason=reason
    )
    _event(
        ticket=ticket,
        action="extend",
        from_status=ticket.status,
        actor=actor,
        note=reason,
        data={
            "old_deadline": _data_date(ticket.deadline),
            "requested_deadline": deadline.isoformat(),
            "extension_request": request.pk,
        },
    )
    _notify_office(
        verb="ticket_extension_requested",
        ticket=ticket,
        body=reason,
        title=lambda: (
            _("Ticket %(number)s: extension to %(deadline)s requested")
            % {"number": ticket.number, "deadline": deadline.isoformat()}
        ),
    )
    return request


# --- verification --------------------------------------------------------------------------------


@transaction.atomic
def ticket_verify(*, actor, ticket, approved: bool, note="") -> Ticket:
    """核查: approved → closed (销号; on time when closed on or before the deadline); rejected → back to
    rectifying with one more rework (返工)."""
    if not approved:
        _required(note, "note", _("Say what is still wrong, so the unit can rework it."))
    ticket = _lock(actor=actor, ticket=ticket, action="verify")
    now = timezone.now()
    if approved:
        ticket.status, ticket.closed_at = S.CLOSED, now
        ticket.closed_on_time = ticket.deadline is None or timezone.localtime(now).date() <= ticket.deadline
        ticket.save(update_fields=["status", "closed_at", "closed_on_time", "updated_at"])
        # An extension asked for before the unit submitted has nothing left to decide.
        ExtensionRequest.objects.filter(ticket=ticket, status=ExtensionRequest.Status.PENDING).update(
            status=ExtensionRequest.Status.REFUSED,
            decided_at=now,
            decision_note=_("The ticket was closed before a decision was made."),
        )
        _event(
            ticket=ticket,
            action="verify",
            from_status=S.SUBMITTED,
            actor=actor,
            note=note,
            data={"approved": True, "on_time": ticket.closed_on_time},
            at=now,
        )
        signals.ticket_closed.send(sender=Ticket, ticket=ticket)
        _notify_unit(
            unit_id=ticket.unit_id,
            verb="ticket_closed",
            ticket=ticket,
            body=note or "",
            title=lambda: _("Ticket %(number)s verified and closed") % {"number": ticket.number},
        )
    else:
        ticket.status = S.RECTIFYING
        ticket.rework_count = F("rework_count") + 1
        ticket.save(update_fields=["status", "rework_count", "updated_at"])
        ticket.refresh_from_db(fields=["rework_count"])
        _event(
            ticket=ticket,
            action="verify",
            from_status=S.SUBMITTED,
            actor=actor,
            note=note,
            data={"approved": False, "rework_count": ticket.rework_count},
            at=now,
        )
        _notify_unit(
            unit_id=ticket.unit_id,
            verb="ticket_rework",
            ticket=ticket,
            body=note,
            title=lambda: _("Ticket %(number)s failed verification: rework needed") % {"number": ticket.number},
        )
    return ticket


# --- escalation ----------------------------------------------------------------------------------


def escalation_level_for(*, deadline: date, today: date) -> int:
    """The level a ticket with this deadline has reached today (Ticket.Escalation)."""
    overdue = (today - deadline).days
    if overdue >= RED_DAYS_OVERDUE:
        return E.RED
    if overdue >= YELLOW_DAYS_OVERDUE:
        return E.YELLOW
    if overdue >= WHITE_DAYS_OVERDUE:
        return E.WHITE
    if working_days_between(today, deadline) <= REMINDER_WORKING_DAYS_BEFORE:
        return E.REMINDED
    return E.NONE


def ticket_escalate_all(*, today: date | None = None) -> dict:
    """Issue the reminder cards (提醒卡) and supervision orders (督办单) that are due; safe to run twice (a ticket
    gets at most one order per level, and only when its level rises). Returns counts per level."""
    today = today or local_today()
    # The latest deadline that can call for a reminder today (weekends and holidays in between).
    reminder_horizon = add_working_days(today, REMINDER_WORKING_DAYS_BEFORE)
    candidates = Ticket.objects.filter(
        status__in=ESCALATED_STATUSES, deadline__isnull=False, deadline__lte=reminder_horizon, escalation__lt=E.RED
    ).values_list("pk", "deadline", "escalation")
    counts = {"reminded": 0, "white": 0, "yellow": 0, "red": 0}
    names = {E.REMINDED: "reminded", E.WHITE: "white", E.YELLOW: "yellow", E.RED: "red"}
    for pk, deadline, current in list(candidates):  # a few hundred rows; each is escalated in its own transaction
        level = escalation_level_for(deadline=deadline, today=today)
        if level > current and _escalate(pk=pk, today=today):
            counts[names[level]] += 1
    return counts


@transaction.atomic
def _escalate(*, pk: int, today: date) -> bool:
    ticket = Ticket.objects.select_for_update().select_related("category").get(pk=pk)
    if ticket.status not in ESCALATED_STATUSES or ticket.deadline is None:
        return False
    level = escalation_level_for(deadline=ticket.deadline, today=today)
    if level <= ticket.escalation:
        return False  # another run got there first
    days_overdue = max(0, (today - ticket.deadline).days)
    prefix = "TX" if level == E.REMINDED else "DB"  # 提醒卡 / 督办单
    number = f"{prefix}-{today.year}-{next_serial(kind=prefix, year=today.year):05d}"
    order = SupervisionOrder.objects.create(ticket=ticket, level=level, number=number, days_overdue=days_overdue)
    previous = ticket.escalation
    ticket.escalation = level
    ticket.save(update_fields=["escalation", "updated_at"])
    _event(
        ticket=ticket,
        action="escalate",
        from_status=ticket.status,
        actor=None,
        data={
            "level": int(level),
            "previous_level": int(previous),
            "order": order.number,
            "days_overdue": days_overdue,
            "deadline": ticket.deadline.isoformat(),
        },
    )
    values = {
        "number": ticket.number,
        "deadline": ticket.deadline.isoformat(),
        "days": days_overdue,
        "order": order.number,
    }
    if level == E.REMINDED:
        _notify_unit(
            unit_id=ticket.unit_id,
            verb="ticket_due_soon",
            ticket=ticket,
            title=lambda: _("Ticket %(number)s is about to be overdue (deadline %(deadline)s)") % values,
            body=lambda: (
                _("Reminder card %(order)s: finish the rectification and submit it before the deadline.") % values
            ),
        )
    else:
        _notify_unit(
            unit_id=ticket.unit_id,
            verb="ticket_overdue",
            ticket=ticket,
            title=lambda: _("Ticket %(number)s is overdue by %(days)d days") % values,
            body=lambda: (
                _("%(colour)s %(order)s issued (deadline was %(deadline)s).") % {**values, "colour": E(level).label}
            ),
        )
    return True
