"""Ticket pages: the office's list (filters, bulk dispatch, export), the detail page with the actions the user
may take, the report form, the unit's inbox, the supervisor's verification queue and the printable documents.

Views parse input, call one service and shape the answer. Visibility comes only from
inspections.tickets.selectors.tickets_visible_to (through ticket_list / ticket_get_for), rules only from the services.
"""

# Labels of the actions, for buttons and headings (the API names are the keys).
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Prefetch, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import NotInScope
from core.pages import page_size, show_service_error, submit_form
from core.scope import scope_of
from core.views_base import ListPage
from inspections.models import Category, SupervisionOrder, Ticket, TicketPhoto
from inspections.tickets.forms import ACTION_FORMS, BulkDispatchForm, TicketReportForm

ACTION_LABELS = {
    "file": gettext_lazy("Accept the report"),
    "dispatch": gettext_lazy("Dispatch"),
    "sign": gettext_lazy("Sign for it"),
    "return": gettext_lazy("Return (not ours)"),
    "submit": gettext_lazy("Submit rectification"),
    "verify": gettext_lazy("Verify"),
    "extend": gettext_lazy("Ask for an extension"),
    "decide-extension": gettext_lazy("Decide on the extension"),
    "invalidate": gettext_lazy("Mark invalid"),
}
ACTION_DONE = {
    "file": gettext_lazy("The ticket is filed."),
    "dispatch": gettext_lazy("The ticket is dispatched."),
    "sign": gettext_lazy("You have signed for the ticket."),
    "return": gettext_lazy("The ticket is returned to the office."),
    "submit": gettext_lazy("The rectification is submitted for verification."),
    "extend": gettext_lazy("The extension request is sent to the office."),
    "invalidate": gettext_lazy("The ticket is marked invalid."),
}
# Event actions written by inspections.tickets.services, as the timeline shows them.
EVENT_LABELS = {
    "report": gettext_lazy("Problem reported"),
    "fix_on_spot": gettext_lazy("Fixed on the spot during the patrol"),
    "file": gettext_lazy("Filed by the office"),
    "dispatch": gettext_lazy("Dispatched to a unit"),
    "sign": gettext_lazy("Signed for by the unit"),
    "return": gettext_lazy("Returned to the office"),
    "submit": gettext_lazy("Rectification submitted"),
    "verify:yes": gettext_lazy("Verified and closed"),
    "verify:no": gettext_lazy("Verification failed: rework"),
    "extend": gettext_lazy("Extension requested"),
    "decide_extension:yes": gettext_lazy("Extension approved"),
    "decide_extension:no": gettext_lazy("Extension refused"),
    "invalidate": gettext_lazy("Marked invalid"),
    "escalate": gettext_lazy("Escalated"),
}


def timeline(events) -> list[dict]:
    """Shape the events for the page: a label, the deadline changes and other details the event carries."""
    escalation_labels = dict(Ticket.Escalation.choices)
    status_labels = dict(Ticket.Status.choices)
    rows = []
    for event in events:
        data = event.data or {}
        key = event.action
        if "approved" in data and event.action in ("verify", "decide_extension"):
            key = f"{event.action}:{'yes' if data['approved'] else 'no'}"
        details = []
        if data.get("unit_name"):
            details.append((_("Unit"), data["unit_name"]))
        if event.action == "dispatch" and data.get("deadline"):
            details.append((_("Deadline"), data["deadline"]))
        if data.get("requested_deadline"):
            old = data.get("old_deadline") or "—"
            details.append((_("Deadline"), f"{old} → {data.get('new_deadline') or data['requested_deadline']}"))
        if event.action == "escalate":
            details.append((_("Escalation"), str(escalation_labels.get(data.get("level"), data.get("level")))))
            if data.get("order"):
                details.append((_("Order number"), data["order"]))
            if data.get("days_overdue"):
                details.append((_("Days overdue"), str(data["days_overdue"])))
        if data.get("rework_count"):
            details.append((_("Reworks"), str(data["rework_count"])))
        if data.get("recurrence_of"):
            details.append((_("Recurrence of"), data["recurrence_of"]))
        rows.append(
            {
                "event": event,
                "label": EVENT_LABELS.get(key, event.action),
                "details": details,
                "kind": key.replace(":", "-").replace("_", "-"),
                "photos": list(event.photos.all()),
                "to_status_label": status_labels.get(event.to_status, event.to_status),
            }
        )
    return rows


# --- helpers -------------------------------------------------------------------------------------


def _get_ticket(request, pk):
    from inspections.tickets.selectors import ticket_get_for

    try:
        return ticket_get_for(user=request.user, pk=pk)
    except NotInScope:
        raise Http404(_("Ticket not found.")) from None


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _filterset(request):
    """The one FilterSet of tickets, over the rows this user may see, with the overdue flag and joins."""
    from inspections.tickets.filtersets import TicketFilterSet
    from inspections.tickets.selectors import ticket_list

    return TicketFilterSet(request.GET or None, queryset=ticket_list(user=request.user), request=request)


def _filtered_rows(filterset):
    """The filtered rows; invalid filters show an error on the form and an empty list, never everything."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def _query_without(request, *names):
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _region_options():
    """The region tree as indented options (one query; the path orders parents before children)."""
    from campaign.models import Region

    return [
        (region.pk, "\u3000" * max(0, region.depth - 1) + region.name)
        for region in Region.objects.only("pk", "name", "path").order_by("path")
    ]


def _site_filter(filterset):
    """The site a list is narrowed to (from a site's page): shown as a removable chip, not a select of
    every site in the city."""
    if filterset.is_bound and filterset.is_valid():
        return filterset.form.cleaned_data.get("site")
    return None


def _error_messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [str(m) for messages_ in exc.message_dict.values() for m in messages_]
        return [str(m) for m in exc.messages]
    return [str(exc.message)]


def notice_available(ticket) -> bool:
    """A rectification notice is issued with the dispatch: only a ticket in a unit's hands has one."""
    return bool(ticket.unit_id) and ticket.status not in (Ticket.Status.REPORTED, Ticket.Status.INVALID)


def days_left(ticket, today=None):
    """Calendar days until the deadline (negative when overdue), None without a deadline or once done."""
    if not ticket.deadline or ticket.status in (Ticket.Status.CLOSED, Ticket.Status.INVALID):
        return None
    return (ticket.deadline - (today or timezone.localdate())).days


# --- the office's list ---------------------------------------------------------------------------


class TicketListPage(ListPage):
    """The office's list: the one FilterSet over the visible tickets (invalid filters: an error on the form and an
    empty list, never everything), paged, with the bulk dispatch form for the office."""

    http_method_names = ["get"]  # require_GET: no HEAD/OPTIONS either
    template_name = "inspections/tickets/list.html"
    partial_name = "inspections/tickets/_table.html"

    def get_filterset(self):
        return _filterset(self.request)

    def filtered(self, filterset):
        return _filtered_rows(filterset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        context.update(
            {
                "page_size": page_size(request),
                "query": _query_without(request, "page"),
                "query_no_size": _query_without(request, "page", "page_size"),
                "today": timezone.localdate(),
                "can_dispatch": request.user.is_office,
                "region_options": _region_options(),
                "site_filter": _site_filter(self.filterset),
                "query_no_site": _query_without(request, "page", "site"),
            }
        )
        if request.user.is_office:
            context["bulk_form"] = BulkDispatchForm(tickets=Ticket.objects.none())
        return context


ticket_list = TicketListPage.as_view()


EXPORT_COLUMNS = (
    ("number", gettext_lazy("Number")),
    ("status", gettext_lazy("Status")),
    ("is_overdue", gettext_lazy("Overdue")),
    ("escalation", gettext_lazy("Escalation")),
    ("category__name", gettext_lazy("Category")),
    ("severity", gettext_lazy("Severity")),
    ("site__code", gettext_lazy("Site code")),
    ("site__name", gettext_lazy("Site")),
    ("region__name", gettext_lazy("Region")),
    ("unit__name", gettext_lazy("Responsible unit")),
    ("source", gettext_lazy("Source")),
    ("description", gettext_lazy("Description")),
    ("deadline", gettext_lazy("Deadline")),
    ("rework_count", gettext_lazy("Reworks")),
    ("extension_count", gettext_lazy("Extensions")),
    ("is_recurrence", gettext_lazy("Recurrence")),
    ("created_at", gettext_lazy("Reported at")),
    ("closed_at", gettext_lazy("Closed at")),
)


@login_required
@require_GET
def ticket_export(request):
    """The ledger of what the list shows, same filters, streamed from the database as tuples."""
    from core.xlsx import xlsx_response

    filterset = _filterset(request)
    rows = _filtered_rows(filterset).values_list(*[field for field, _label in EXPORT_COLUMNS])
    labels = {
        1: dict(Ticket.Status.choices),
        3: dict(Ticket.Escalation.choices),
        5: dict(Ticket._meta.get_field("severity").choices),
        10: dict(Ticket.Source.choices),
    }
    yes, no = _("Yes"), _("No")

    def shaped():
        for row in rows.iterator(chunk_size=2000):
            row = list(row)
            for index, choices in labels.items():
                row[index] = str(choices.get(row[index], row[index] or ""))
            row[2] = yes if row[2] else no
            row[15] = yes if row[15] else no
            yield row

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        filename=_("Tickets %(stamp)s.xlsx") % {"stamp": stamp},
        headers=[label for _field, label in EXPORT_COLUMNS],
        rows=shaped(),
        sheet_title=_("Tickets"),
    )


@login_required
@require_POST
def ticket_bulk_dispatch(request):
    """Dispatch the selected tickets, all or none: one refused ticket rolls the others back."""
    from inspections.tickets.selectors import tickets_visible_to
    from inspections.tickets.services import ticket_dispatch_many

    back = _safe_next(request, reverse("inspections:ticket_list"))
    if not request.user.is_office:
        messages.error(request, _("Your role does not allow this action on this ticket."))
        return redirect(back)
    form = BulkDispatchForm(request.POST, tickets=tickets_visible_to(request.user).select_related("site", "category"))

    def dispatch(data):
        tickets = list(data["tickets"])
        ticket_dispatch_many(actor=request.user, tickets=tickets, unit=form.unit(), deadline=data.get("deadline"))
        return len(tickets)

    def refused(exc):
        show_service_error(request, exc)  # a page message, back to the list
        return redirect(back)

    done = submit_form(
        request,
        form,
        dispatch,
        success=lambda count: (
            ngettext("%(count)d ticket dispatched.", "%(count)d tickets dispatched.", count) % {"count": count}
        ),
        redirect_to=lambda _count: back,
        refused=refused,
    )
    if done:
        return done
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(back)


# --- detail and actions --------------------------------------------------------------------------


def _detail_context(request, ticket, *, bound_action=None, bound_form=None):
    from inspections.tickets.selectors import ticket_allowed_actions, ticket_events, ticket_pending_extension
    from inspections.tickets.working_days import add_working_days

    actions = ticket_allowed_actions(user=request.user, ticket=ticket)
    forms_by_action = {}
    for action in actions:
        if action == bound_action:
            forms_by_action[action] = bound_form
            continue
        initial = {}
        if action == "dispatch":
            initial = {
                "unit": ticket.site.unit_id if ticket.site else None,
                "deadline": add_working_days(timezone.localdate(), ticket.category.deadline_working_days),
            }
        forms_by_action[action] = ACTION_FORMS[action](initial=initial, prefix=action)
    photos = list(ticket.photos.order_by("created_at", "id"))
    events = list(ticket_events(ticket=ticket))
    orders = list(ticket.supervision_orders.order_by("level"))
    remaining = days_left(ticket)
    return {
        "ticket": ticket,
        "days_left": remaining,
        "before_photos": [p for p in photos if p.kind == TicketPhoto.Kind.BEFORE],
        "after_photos": [p for p in photos if p.kind == TicketPhoto.Kind.AFTER],
        "events": timeline(events),
        "actions": [
            {
                "name": a,
                "label": ACTION_LABELS[a],
                "form": forms_by_action[a],
                "url": reverse("inspections:ticket_action", args=[ticket.pk, a]),
            }
            for a in actions
        ],
        "pending_extension": ticket_pending_extension(ticket=ticket),
        "orders": orders,
        "recurrences": list(ticket.recurrences.only("pk", "number", "status", "created_at")),
        "only_one": len(actions) == 1,
        "notice_available": notice_available(ticket),
        "days_overdue": -remaining if remaining is not None and remaining < 0 else 0,
    }


@login_required
@require_GET
def ticket_detail(request, pk):
    ticket = _get_ticket(request, pk)
    return render(request, "inspections/tickets/detail.html", _detail_context(request, ticket))


def _call_service(*, request, ticket, action, data):
    from inspections.tickets import services

    user = request.user
    if action == "file":
        return services.ticket_file(actor=user, ticket=ticket, note=data.get("note", ""))
    if action == "dispatch":
        return services.ticket_dispatch(actor=user, ticket=ticket, unit=data["unit"], deadline=data.get("deadline"))
    if action == "sign":
        return services.ticket_sign(actor=user, ticket=ticket)
    if action == "return":
        return services.ticket_return(actor=user, ticket=ticket, reason=data["reason"])
    if action == "submit":
        return services.ticket_submit(actor=user, ticket=ticket, note=data["note"], photos=data["photos"])
    if action == "verify":
        return services.ticket_verify(actor=user, ticket=ticket, approved=data["approved"], note=data.get("note", ""))
    if action == "extend":
        return services.ticket_request_extension(
            actor=user, ticket=ticket, deadline=data["deadline"], reason=data["reason"]
        )
    if action == "decide-extension":
        return services.ticket_decide_extension(
            actor=user, ticket=ticket, approved=data["approved"], note=data.get("note", "")
        )
    if action == "invalidate":
        return services.ticket_invalidate(actor=user, ticket=ticket, reason=data["reason"])
    raise Http404


def _done_message(action, data):
    if action == "verify":
        return (
            _("Verified: the ticket is closed.")
            if data["approved"]
            else _("Not passed: the ticket goes back to the unit for rework.")
        )
    if action == "decide-extension":
        return _("The extension is approved.") if data["approved"] else _("The extension is refused.")
    return ACTION_DONE[action]


def _errors_on_form(form, exc: ValidationError):
    """A service's ValidationError on the form: each field's messages on the field, the rest above the form."""
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def ticket_action(request, pk, action):
    """One action from the detail page (or the inbox / verification queue): the service decides."""
    if action not in ACTION_FORMS:
        raise Http404
    ticket = _get_ticket(request, pk)
    detail_url = reverse("inspections:ticket_detail", args=[ticket.pk])
    back = _safe_next(request, detail_url)
    form = ACTION_FORMS[action](request.POST, request.FILES, prefix=action)

    def refused(exc):
        # A field's refusal lands on the form (shown below); any other is a page message, back where the form was.
        if isinstance(exc, ValidationError):
            _errors_on_form(form, exc)
            return None
        messages.error(request, exc.message)
        return redirect(back)

    done = submit_form(
        request,
        form,
        lambda data: _call_service(request=request, ticket=ticket, action=action, data=data),
        success=lambda _result: _done_message(action, form.cleaned_data),
        redirect_to=lambda _result: back,
        refused=refused,
    )
    if done:
        return done
    messages.error(request, _("Nothing was changed: correct the errors below."))
    if back != detail_url:
        # From the inbox or the queue: show the errors there, where the form was.
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    context = _detail_context(request, ticket, bound_action=action, bound_form=form)
    context["open_action"] = action
    return render(request, "inspections/tickets/detail.html", context, status=400)


# --- report a problem ----------------------------------------------------------------------------


def _reportable_sites(user):
    from inspections.sites.selectors import sites_visible_to

    return sites_visible_to(user)


@login_required
def ticket_create(request):
    from inspections.tickets import services

    sites = _reportable_sites(request.user)
    initial = {}
    if request.GET.get("site", "").isdecimal():
        initial["site"] = int(request.GET["site"])
    form = TicketReportForm(request.POST or None, request.FILES or None, sites=sites, initial=initial)

    def refused(exc):
        if isinstance(exc, ValidationError):
            _errors_on_form(form, exc)
        else:
            messages.error(request, exc.message)
        return None  # the form again (400)

    done = submit_form(
        request,
        form,
        lambda data: services.ticket_report(
            actor=request.user,
            site=data["site"],
            category=data["category"],
            description=data["description"],
            photos=data["photos"],
            source=_report_source(request.user),
        ),
        success=lambda ticket: _("Ticket %(number)s is reported.") % {"number": ticket.number},
        redirect_to=lambda ticket: reverse("inspections:ticket_detail", args=[ticket.pk]),
        refused=refused,
    )
    if done:
        return done
    status = 400 if request.method == "POST" else 200
    return render(request, "inspections/tickets/create.html", {"form": form}, status=status)


def _report_source(user):
    scope = scope_of(user)
    if scope.is_unit:
        return Ticket.Source.SELF_INSPECTION
    if scope.is_leader:
        return Ticket.Source.LEADER
    if scope.is_office:
        return Ticket.Source.OFFICE
    return Ticket.Source.PATROL


# --- the unit's inbox ----------------------------------------------------------------------------

INBOX_GROUPS = (
    (
        1,
        "sign",
        gettext_lazy("To sign for"),
        gettext_lazy("Dispatched to your unit: sign for them, or return the ones that are not yours."),
    ),
    (2, "rework", gettext_lazy("Rejected: rework"), gettext_lazy("The supervisor did not accept the rectification.")),
    (3, "rectifying", gettext_lazy("Rectifying"), gettext_lazy("Fix them before the deadline and submit photos.")),
    (
        4,
        "submitted",
        gettext_lazy("Awaiting verification"),
        gettext_lazy("Submitted; a supervisor will verify on site."),
    ),
)


# A phone shows this many cards per group; the rest are one tap away in the full list.
INBOX_LIMIT = 20
INBOX_STATUS = {"sign": "dispatched", "rework": "rectifying", "rectifying": "rectifying", "submitted": "submitted"}


@login_required
@require_GET
def unit_inbox(request):
    """The unit liaison's work, grouped by what they must do, most urgent first. The database numbers the
    tickets within each group (a window function) so a busy unit's phone gets the first INBOX_LIMIT of each,
    and counts every group and the overdue ones: two queries whatever the size of the unit."""
    from inspections.tickets.selectors import overdue_q, ticket_list

    S = Ticket.Status
    group = Case(
        When(status=S.DISPATCHED, then=Value(1)),
        When(status=S.RECTIFYING, rework_count__gt=0, then=Value(2)),
        When(status=S.RECTIFYING, then=Value(3)),
        When(status=S.SUBMITTED, then=Value(4)),
        output_field=IntegerField(),
    )
    tickets, counts, overdue = [], {}, 0
    if request.user.unit_id:
        mine = (
            ticket_list(user=request.user)
            .filter(unit_id=request.user.unit_id, status__in=(S.DISPATCHED, S.RECTIFYING, S.SUBMITTED))
            .annotate(inbox_group=group)
        )
        urgency = [F("deadline").asc(nulls_last=True), F("created_at").asc(), F("id").asc()]
        tickets = list(
            mine.annotate(place=Window(RowNumber(), partition_by=[F("inbox_group")], order_by=urgency))
            .filter(place__lte=INBOX_LIMIT)
            .order_by("inbox_group", *urgency)
        )
        for row in mine.order_by().values("inbox_group").annotate(n=Count("id"), late=Count("id", filter=overdue_q())):
            counts[row["inbox_group"]] = row["n"]
            overdue += row["late"]
    today = timezone.localdate()
    groups = []
    for number, key, title, hint in INBOX_GROUPS:
        items = [t for t in tickets if t.inbox_group == number]
        for t in items:
            t.days_left = days_left(t, today)
        groups.append(
            {
                "key": key,
                "title": title,
                "hint": hint,
                "tickets": items,
                "count": counts.get(number, 0),
                "more": counts.get(number, 0) - len(items),
                "status": INBOX_STATUS[key],
            }
        )
    return render(
        request,
        "inspections/tickets/inbox.html",
        {
            "groups": groups,
            "total": sum(counts.values()),
            "today": today,
            "overdue": overdue,
        },
    )


# --- the supervisor's verification queue ---------------------------------------------------------


@login_required
@require_GET
def verify_queue(request):
    from inspections.tickets.selectors import ticket_list

    scope = scope_of(request.user)
    if not (scope.is_office or scope.is_supervisor):
        raise Http404
    photos = TicketPhoto.objects.order_by("created_at", "id")
    rows = (
        ticket_list(user=request.user)
        .filter(status=Ticket.Status.SUBMITTED)
        .select_related("site__site_type")
        .prefetch_related(Prefetch("photos", queryset=photos, to_attr="all_photos"))
        .order_by("submitted_at", "id")
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    for ticket in page:
        ticket.before_photos = [p for p in ticket.all_photos if p.kind == TicketPhoto.Kind.BEFORE]
        ticket.after_photos = [p for p in ticket.all_photos if p.kind == TicketPhoto.Kind.AFTER]
    return render(request, "inspections/tickets/verify_queue.html", {"page": page})


# --- printable documents -------------------------------------------------------------------------


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    from django.utils.encoding import escape_uri_path

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@login_required
@require_GET
def ticket_notice_pdf(request, pk):
    from inspections.tickets.documents import build_rectification_notice, notice_filename

    ticket = _get_ticket(request, pk)
    if not notice_available(ticket):
        messages.error(request, _("A rectification notice is issued when the ticket is dispatched to a unit."))
        return redirect("inspections:ticket_detail", pk=ticket.pk)
    return _pdf_response(build_rectification_notice(request=request, ticket=ticket), notice_filename(ticket))


@login_required
@require_GET
def supervision_order_pdf(request, pk, order_pk):
    from inspections.tickets.documents import build_supervision_order, order_filename

    ticket = _get_ticket(request, pk)
    order = get_object_or_404(SupervisionOrder, pk=order_pk, ticket=ticket)
    return _pdf_response(build_supervision_order(request=request, order=order), order_filename(order))


@login_required
@require_GET
def map_wall(request):
    scope = scope_of(request.user)
    if not (scope.is_office or scope.is_supervisor or scope.is_leader):
        raise Http404

    config = {
        "tilesUrl": settings.MAP_TILES_URL,
        "tilesAttribution": settings.MAP_TILES_ATTRIBUTION,
        "center": list(settings.MAP_CENTER),
        "zoom": settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", 13),
        "minZoom": settings.LEAFLET_CONFIG.get("MIN_ZOOM", 3),
        "maxZoom": settings.LEAFLET_CONFIG.get("MAX_ZOOM", 19),
        # The paths are fixed by CONTRACT.md; the API applies the same visibility rule as every page.
        "sitesUrl": f"{get_script_prefix()}api/v1/map/sites.geojson",
        "ticketsUrl": f"{get_script_prefix()}api/v1/map/tickets.geojson",
        "ticketUrl": reverse("inspections:ticket_detail", args=[0]).replace("/0/", "/{id}/"),
        "siteTicketsUrl": reverse("inspections:ticket_list") + "?site={id}",
    }
    return render(
        request,
        "inspections/map/wall.html",
        {
            "config": config,
            "statuses": [(value, label) for value, label in Ticket.Status.choices if value != Ticket.Status.INVALID],
            "categories": Category.objects.filter(is_active=True).only("pk", "name").order_by("group", "code"),
            "region_options": _region_options(),
            "tiles_missing": not settings.MAP_TILES_URL,
            "text": {
                "open": _("Open tickets"),
                "overdue": _("Overdue"),
                "deadline": _("Deadline"),
                "unit": _("Responsible unit"),
                "site": _("Site"),
                "tickets": _("Open the tickets"),
                "ticket": _("Open the ticket"),
                "key": _("Key site"),
            },
        },
    )
