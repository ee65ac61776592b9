"""Pages of the command structure. Views parse input, call a service or a selector and render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from core.masking import personal_masker
from core.pages import PAGE_SIZES, paginate, submit_form
from core.xlsx import xlsx_response

from . import selectors, services
from .filtersets import AssignmentFilterSet, PersonFilterSet, RegionFilterSet, UnitFilterSet
from .forms import AssignmentForm, CommandBodyForm, MembershipForm, PersonForm, RegionForm, UnitForm
from .models import Assignment, CommandBody, Membership, Person, Region, Unit


def office_required(view):
    """Only the campaign office changes the command structure; everyone signed in may read it."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_office:
            raise PermissionDenied(_("Only the campaign office may change the command structure."))
        return view(request, *args, **kwargs)

    return wrapper


def _list_page(request, *, filterset, queryset, template, partial, export_url):
    page = paginate(request, queryset)
    context = {"filter": filterset, "page": page, "page_sizes": PAGE_SIZES, "export_url": export_url}
    return render(request, partial if request.htmx and not request.htmx.boosted else template, context)


def _edit_page(request, *, form, save, title, cancel_url):
    """Show the form; on POST let the service validate and save (core.pages.submit_form)."""
    done = submit_form(
        request,
        form,
        save,
        success=_("Saved."),
        redirect_to=lambda obj: obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else cancel_url,
    )
    return done or render(request, "campaign/form.html", {"form": form, "title": title, "cancel_url": cancel_url})


def _upload(value):
    return value if isinstance(value, UploadedFile) else None


# --- Organisation chart and command bodies -------------------------------------------------------


@login_required
def org_chart(request):
    chart = selectors.org_chart(campaign=selectors.campaign_current(), user=request.user)
    return render(request, "campaign/org_chart.html", {"chart": chart})


@login_required
def body_detail(request, pk):
    body = get_object_or_404(selectors.command_body_list(selectors.command_bodies_visible_to(request.user)), pk=pk)
    children = body.children.all()
    context = {
        "body": body,
        "children": children,
        "history": selectors.history_entries(body),
        "membership_form": MembershipForm() if request.user.is_office else None,
    }
    return render(request, "campaign/body_detail.html", context)


@office_required
def body_create(request):
    campaign = selectors.campaign_current()
    if campaign is None:
        messages.error(request, _("Create a campaign first (administration) before its command bodies."))
        return redirect("campaign:org_chart")
    form = CommandBodyForm(request.POST or None, campaign=campaign, initial={"parent": request.GET.get("parent")})

    def save(data):
        return services.command_body_create(campaign=campaign, **data)

    return _edit_page(
        request, form=form, save=save, title=_("New command body"), cancel_url=reverse("campaign:org_chart")
    )


@office_required
def body_update(request, pk):
    body = get_object_or_404(CommandBody, pk=pk)
    form = CommandBodyForm(request.POST or None, instance=body, campaign=body.campaign)

    def save(data):
        return services.command_body_update(body=body, **data)

    return _edit_page(
        request,
        form=form,
        save=save,
        title=_("Edit %(name)s") % {"name": body.name},
        cancel_url=body.get_absolute_url(),
    )


@office_required
@require_POST
def membership_add(request, pk):
    body = get_object_or_404(CommandBody, pk=pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(body=body, **form.cleaned_data)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for message in errors:
                    messages.error(request, message)
        else:
            messages.success(request, _("Member added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(body.get_absolute_url())


@office_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("body", "person"), pk=pk)
    services.membership_remove(membership=membership)
    messages.success(
        request, _("%(person)s was removed from %(body)s.") % {"person": membership.person, "body": membership.body}
    )
    return redirect(membership.body.get_absolute_url())


# --- Regions --------------------------------------------------------------------------------------


@login_required
def region_list(request):
    filterset = RegionFilterSet(
        request.GET or None, queryset=selectors.regions_visible_to(request.user), request=request
    )
    filtered = bool(
        request.GET.get("q") or request.GET.get("level") or request.GET.get("under") or request.GET.get("parent")
    )
    if filtered:
        rows = selectors.region_list(filterset.qs)
        return render(request, "campaign/region_list.html", {"filter": filterset, "rows": rows, "filtered": True})
    tree = selectors.region_tree(selectors.regions_visible_to(request.user))
    return render(request, "campaign/region_list.html", {"filter": filterset, "tree": tree, "filtered": False})


@login_required
def region_detail(request, pk):
    region = get_object_or_404(selectors.region_list(selectors.regions_visible_to(request.user)), pk=pk)
    children = selectors.region_list(Region.objects.filter(parent=region))
    units = selectors.units_visible_to(request.user).filter(region=region).order_by("code")[:100]
    ancestors = Region.objects.filter(pk__in=[int(p) for p in region.path.split("/") if p]).exclude(pk=region.pk)
    context = {
        "region": region,
        "children": children,
        "units": units,
        "ancestors": ancestors.order_by("path"),
        "bodies": region.command_bodies.select_related("campaign"),
        "history": selectors.history_entries(region),
    }
    return render(request, "campaign/region_detail.html", context)


@office_required
def region_create(request):
    form = RegionForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    return _edit_page(
        request,
        form=form,
        save=lambda data: services.region_create(**data),
        title=_("New region"),
        cancel_url=reverse("campaign:region_list"),
    )


@office_required
def region_update(request, pk):
    region = get_object_or_404(Region, pk=pk)
    form = RegionForm(request.POST or None, instance=region)
    return _edit_page(
        request,
        form=form,
        save=lambda data: services.region_update(region=region, **data),
        title=_("Edit %(name)s") % {"name": region.name},
        cancel_url=region.get_absolute_url(),
    )


# --- Units ----------------------------------------------------------------------------------------


@login_required
def unit_list(request):
    filterset = UnitFilterSet(request.GET or None, queryset=selectors.units_visible_to(request.user), request=request)
    return _list_page(
        request,
        filterset=filterset,
        queryset=selectors.unit_list(filterset.qs),
        template="campaign/unit_list.html",
        partial="campaign/_unit_table.html",
        export_url=reverse("campaign:unit_export"),
    )


@login_required
def unit_export(request):
    filterset = UnitFilterSet(request.GET or None, queryset=selectors.units_visible_to(request.user), request=request)
    kinds = dict(Unit.Kind.choices)
    levels = dict(Unit.CivilizedLevel.choices)
    show = personal_masker(request.user)
    rows = (
        (
            code,
            name,
            str(kinds.get(kind, kind)),
            region,
            str(levels.get(level, "")) if level else "",
            year,
            contact,
            show(phone),
            address,
            _("Yes") if active else _("No"),
        )
        for code, name, kind, region, level, year, contact, phone, address, active in filterset.qs.order_by("code")
        .values_list(
            "code",
            "name",
            "kind",
            "region__name",
            "civilized_level",
            "civilized_year",
            "contact_name",
            "contact_phone",
            "address",
            "is_active",
        )
        .iterator()
    )
    headers = [
        _("Code"),
        pgettext("campaign", "Name"),
        _("Kind"),
        _("Region"),
        _("Civilized-unit level"),
        _("Civilized-unit year"),
        _("Contact person"),
        _("Contact phone"),
        _("Address"),
        _("Active"),
    ]
    filename = _("units") + timezone.localdate().strftime("-%Y%m%d") + ".xlsx"
    return xlsx_response(filename=filename, headers=headers, rows=rows, sheet_title=_("Units"))


@login_required
def unit_detail(request, pk):
    unit = get_object_or_404(selectors.unit_list(selectors.units_visible_to(request.user)), pk=pk)
    context = {
        "unit": unit,
        "people": selectors.people_visible_to(request.user).filter(unit=unit).order_by("name"),
        "history": selectors.history_entries(unit, personal_fields={"contact_phone"}, user=request.user),
    }
    return render(request, "campaign/unit_detail.html", context)


@office_required
def unit_create(request):
    form = UnitForm(request.POST or None, initial={"region": request.GET.get("region")})
    return _edit_page(
        request,
        form=form,
        save=lambda data: services.unit_create(**data),
        title=_("New unit"),
        cancel_url=reverse("campaign:unit_list"),
    )


@office_required
def unit_update(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitForm(request.POST or None, instance=unit)
    return _edit_page(
        request,
        form=form,
        save=lambda data: services.unit_update(unit=unit, **data),
        title=_("Edit %(name)s") % {"name": unit.name},
        cancel_url=unit.get_absolute_url(),
    )


# --- People ---------------------------------------------------------------------------------------


@login_required
def person_list(request):
    filterset = PersonFilterSet(
        request.GET or None, queryset=selectors.people_visible_to(request.user), request=request
    )
    return _list_page(
        request,
        filterset=filterset,
        queryset=selectors.person_list(filterset.qs),
        template="campaign/person_list.html",
        partial="campaign/_person_table.html",
        export_url=reverse("campaign:person_export"),
    )


@login_required
def person_export(request):
    filterset = PersonFilterSet(
        request.GET or None, queryset=selectors.people_visible_to(request.user), request=request
    )
    ranks = dict(Person.Rank.choices)
    show = personal_masker(request.user)
    rows = (
        (name, str(ranks.get(rank, rank)), title, unit, show(phone), username)
        for name, rank, title, unit, phone, username in filterset.qs.order_by("name", "id")
        .values_list("name", "rank", "title", "unit__name", "phone", "user__username")
        .iterator()
    )
    headers = [pgettext("campaign", "Name"), _("Rank"), _("Position"), _("Unit"), _("Phone"), _("Login")]
    filename = _("people") + timezone.localdate().strftime("-%Y%m%d") + ".xlsx"
    return xlsx_response(filename=filename, headers=headers, rows=rows, sheet_title=_("People"))


@login_required
def person_detail(request, pk):
    person = get_object_or_404(selectors.person_list(selectors.people_visible_to(request.user)), pk=pk)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("body"),
        "assignments": selectors.assignment_list(person.assignments.all()),
        "history": selectors.history_entries(person, personal_fields={"phone"}, user=request.user),
    }
    return render(request, "campaign/person_detail.html", context)


@office_required
def person_create(request):
    form = PersonForm(request.POST or None, initial={"unit": request.GET.get("unit")})
    return _edit_page(
        request,
        form=form,
        save=lambda data: services.person_create(**data),
        title=_("New person"),
        cancel_url=reverse("campaign:person_list"),
    )


@office_required
def person_update(request, pk):
    person = get_object_or_404(Person, pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    return _edit_page(
        request,
        form=form,
        save=lambda data: services.person_update(person=person, **data),
        title=_("Edit %(name)s") % {"name": person.name},
        cancel_url=person.get_absolute_url(),
    )


# --- Assignments ----------------------------------------------------------------------------------


@login_required
def assignment_list(request):
    filterset = AssignmentFilterSet(
        request.GET or None, queryset=selectors.assignments_visible_to(request.user), request=request
    )
    return _list_page(
        request,
        filterset=filterset,
        queryset=selectors.assignment_list(filterset.qs),
        template="campaign/assignment_list.html",
        partial="campaign/_assignment_table.html",
        export_url=reverse("campaign:assignment_export"),
    )


@login_required
def assignment_export(request):
    filterset = AssignmentFilterSet(
        request.GET or None, queryset=selectors.assignments_visible_to(request.user), request=request
    )
    ranks = dict(Person.Rank.choices)
    rows = (
        (
            person,
            str(ranks.get(rank, rank)),
            site or region or "",
            visits,
            start,
            end,
            _("Yes") if letter else _("No"),
            note,
        )
        for person, rank, region, site, visits, start, end, letter, note in filterset.qs.order_by("person__name", "id")
        .values_list(
            "person__name",
            "person__rank",
            "region__name",
            "site__name",
            "required_visits_per_week",
            "start_date",
            "end_date",
            "responsibility_letter",
            "note",
        )
        .iterator()
    )
    headers = [
        _("Leader"),
        _("Rank"),
        _("Responsible for"),
        _("Required visits per week"),
        _("Start date"),
        _("End date"),
        _("Responsibility letter"),
        _("Note"),
    ]
    filename = _("assignments") + timezone.localdate().strftime("-%Y%m%d") + ".xlsx"
    return xlsx_response(filename=filename, headers=headers, rows=rows, sheet_title=_("Assignments"))


@login_required
def assignment_detail(request, pk):
    assignment = get_object_or_404(selectors.assignment_list(selectors.assignments_visible_to(request.user)), pk=pk)
    return render(
        request,
        "campaign/assignment_detail.html",
        {"assignment": assignment, "history": selectors.history_entries(assignment)},
    )


@office_required
def assignment_create(request):
    campaign = selectors.campaign_current()
    if campaign is None:
        messages.error(request, _("Create a campaign first (administration) before its assignments."))
        return redirect("campaign:assignment_list")
    form = AssignmentForm(
        request.POST or None,
        request.FILES or None,
        initial={"person": request.GET.get("person"), "start_date": timezone.localdate()},
    )

    def save(data):
        letter = _upload(data.pop("responsibility_letter", None))
        return services.assignment_create(campaign=campaign, responsibility_letter=letter, **data)

    return _edit_page(
        request, form=form, save=save, title=_("New assignment"), cancel_url=reverse("campaign:assignment_list")
    )


@office_required
def assignment_update(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    form = AssignmentForm(request.POST or None, request.FILES or None, instance=assignment)

    def save(data):
        letter = _upload(data.pop("responsibility_letter", None))
        return services.assignment_update(assignment=assignment, responsibility_letter=letter, **data)

    return _edit_page(
        request, form=form, save=save, title=_("Edit assignment"), cancel_url=assignment.get_absolute_url()
    )
