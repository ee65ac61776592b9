"""Pages of the command structure. Views parse input, call a service or a selector and render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from core.masking import personal_masker
from core.pages import submit_form
from core.views_base import ActionView, DetailPage, EditPage, ExportView, FormPage, ListPage, OfficeRequiredMixin

from . import selectors, services
from .filtersets import AssignmentFilterSet, PersonFilterSet, RegionFilterSet, UnitFilterSet
from .forms import AssignmentForm, CommandBodyForm, MembershipForm, PersonForm, RegionForm, UnitForm
from .models import Assignment, CommandBody, Membership, Person, Region, Unit


class OfficeOnly(OfficeRequiredMixin):
    office_message = gettext_lazy("Only the campaign office may change the command structure.")


def office_required(view):
    """Only the campaign office changes the command structure; everyone signed in may read it."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_office:
            raise PermissionDenied(OfficeOnly.office_message)
        return view(request, *args, **kwargs)

    return wrapper


class CampaignForm(OfficeOnly, FormPage):
    template_name = "campaign/form.html"


class CampaignEdit(OfficeOnly, EditPage):
    template_name = "campaign/form.html"

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.setup_object().name}


def _upload(value):
    return value if isinstance(value, UploadedFile) else None


# --- Organisation chart and command bodies -------------------------------------------------------


@login_required
def org_chart(request):
    chart = selectors.org_chart(campaign=selectors.campaign_current(), user=request.user)
    return render(request, "campaign/org_chart.html", {"chart": chart})


class BodyDetail(DetailPage):
    model = CommandBody
    template_name = "campaign/body_detail.html"
    context_object_name = "body"

    def shape(self, queryset):
        return selectors.command_body_list(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body, user = self.object, self.request.user
        context.update(
            {
                "children": body.children.all(),
                "history": selectors.history_entries(body),
                "visible_people": selectors.visible_person_ids(user, [m.person_id for m in body.memberships.all()]),
                "membership_form": MembershipForm() if user.is_office else None,
            }
        )
        return context


body_detail = BodyDetail.as_view()


class BodyCreate(CampaignForm):
    title = gettext_lazy("New command body")

    def refusal(self):
        self.campaign = selectors.campaign_current()
        if self.campaign is None:
            messages.error(self.request, _("Create a campaign first (administration) before its command bodies."))
            return redirect("campaign:org_chart")
        return None

    def get_form(self):
        return CommandBodyForm(
            self.request.POST or None, campaign=self.campaign, initial={"parent": self.request.GET.get("parent")}
        )

    def perform(self, data):
        return services.command_body_create(actor=self.request.user, campaign=self.campaign, **data)

    def cancel_url(self):
        return reverse("campaign:org_chart")


class BodyUpdate(CampaignEdit):
    model = CommandBody

    def get_form(self):
        body = self.setup_object()
        return CommandBodyForm(self.request.POST or None, instance=body, campaign=body.campaign)

    def perform(self, data):
        return services.command_body_update(actor=self.request.user, body=self.object, **data)


body_create = BodyCreate.as_view()
body_update = BodyUpdate.as_view()


class MembershipAdd(OfficeOnly, ActionView):
    """The add-member form on a command body's page: one service call (core.pages.submit_form); a refusal is shown
    as page messages on the body's page."""

    def get_object(self):
        return get_object_or_404(CommandBody, pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        body = self.get_object()
        form = MembershipForm(request.POST)
        done = submit_form(
            request,
            form,
            lambda data: services.membership_add(actor=request.user, body=body, **data),
            success=_("Member added."),
            redirect_to=lambda membership: body.get_absolute_url(),
        )
        if done:
            return done
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(body.get_absolute_url())


membership_add = MembershipAdd.as_view()


@office_required
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("body", "person"), pk=pk)
    services.membership_remove(actor=request.user, membership=membership)
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


class RegionDetail(DetailPage):
    model = Region
    template_name = "campaign/region_detail.html"
    context_object_name = "region"

    def shape(self, queryset):
        return selectors.region_list(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        ancestors = Region.objects.filter(pk__in=[int(p) for p in region.path.split("/") if p]).exclude(pk=region.pk)
        context.update(
            {
                "children": selectors.region_list(Region.objects.filter(parent=region)),
                "units": selectors.units_visible_to(self.request.user).filter(region=region).order_by("code")[:100],
                "ancestors": ancestors.order_by("path"),
                "bodies": region.command_bodies.select_related("campaign"),
                "history": selectors.history_entries(region),
            }
        )
        return context


region_detail = RegionDetail.as_view()


class RegionCreate(CampaignForm):
    form_class = RegionForm
    title = gettext_lazy("New region")

    def get_initial(self):
        return {"parent": self.request.GET.get("parent")}

    def perform(self, data):
        return services.region_create(actor=self.request.user, **data)

    def cancel_url(self):
        return reverse("campaign:region_list")


class RegionUpdate(CampaignEdit):
    model = Region
    form_class = RegionForm

    def perform(self, data):
        return services.region_update(actor=self.request.user, region=self.object, **data)


region_create = RegionCreate.as_view()
region_update = RegionUpdate.as_view()


# --- Units ----------------------------------------------------------------------------------------


class UnitList(ListPage):
    model = Unit
    visible = staticmethod(selectors.units_visible_to)
    filterset_class = UnitFilterSet
    template_name = "campaign/unit_list.html"
    partial_name = "campaign/_unit_table.html"
    export_url_name = "campaign:unit_export"

    def filtered(self, filterset):
        return selectors.unit_list(filterset.qs)


class UnitExport(ExportView):
    model = Unit
    visible = staticmethod(selectors.units_visible_to)
    filterset_class = UnitFilterSet

    def headers(self):
        return [
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

    def rows(self, queryset):
        kinds = dict(Unit.Kind.choices)
        levels = dict(Unit.CivilizedLevel.choices)
        show = personal_masker(self.request.user)
        return (
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
            for code, name, kind, region, level, year, contact, phone, address, active in queryset.order_by("code")
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

    def filename_stem(self):
        return _("units")

    def sheet_title(self):
        return _("Units")


class UnitDetail(DetailPage):
    model = Unit
    visible = staticmethod(selectors.units_visible_to)
    template_name = "campaign/unit_detail.html"

    def shape(self, queryset):
        return selectors.unit_list(queryset)

    def get_context_data(self, **kwargs):
        unit, user = self.object, self.request.user
        return super().get_context_data(
            people=selectors.people_visible_to(user).filter(unit=unit).order_by("name"),
            history=selectors.history_entries(unit, personal_fields={"contact_phone"}, user=user),
            **kwargs,
        )


class UnitCreate(CampaignForm):
    form_class = UnitForm
    title = gettext_lazy("New unit")

    def get_initial(self):
        return {"region": self.request.GET.get("region")}

    def perform(self, data):
        return services.unit_create(actor=self.request.user, **data)

    def cancel_url(self):
        return reverse("campaign:unit_list")


class UnitUpdate(CampaignEdit):
    model = Unit
    form_class = UnitForm

    def perform(self, data):
        return services.unit_update(actor=self.request.user, unit=self.object, **data)


unit_list = UnitList.as_view()
unit_export = UnitExport.as_view()
unit_detail = UnitDetail.as_view()
unit_create = UnitCreate.as_view()
unit_update = UnitUpdate.as_view()


# --- People ---------------------------------------------------------------------------------------


class PersonList(ListPage):
    model = Person
    visible = staticmethod(selectors.people_visible_to)
    filterset_class = PersonFilterSet
    template_name = "campaign/person_list.html"
    partial_name = "campaign/_person_table.html"
    export_url_name = "campaign:person_export"

    def filtered(self, filterset):
        return selectors.person_list(filterset.qs)


class PersonExport(ExportView):
    model = Person
    visible = staticmethod(selectors.people_visible_to)
    filterset_class = PersonFilterSet

    def headers(self):
        return [pgettext("campaign", "Name"), _("Rank"), _("Position"), _("Unit"), _("Phone"), _("Login")]

    def rows(self, queryset):
        ranks = dict(Person.Rank.choices)
        show = personal_masker(self.request.user)
        return (
            (name, str(ranks.get(rank, rank)), title, unit, show(phone), username)
            for name, rank, title, unit, phone, username in queryset.order_by("name", "id")
            .values_list("name", "rank", "title", "unit__name", "phone", "user__username")
            .iterator()
        )

    def filename_stem(self):
        return _("people")

    def sheet_title(self):
        return _("People")


class PersonDetail(DetailPage):
    model = Person
    visible = staticmethod(selectors.people_visible_to)
    template_name = "campaign/person_detail.html"

    def shape(self, queryset):
        return selectors.person_list(queryset)

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            memberships=person.memberships.select_related("body"),
            assignments=selectors.assignment_list(person.assignments.all()),
            history=selectors.history_entries(person, personal_fields={"phone"}, user=self.request.user),
            **kwargs,
        )


class PersonCreate(CampaignForm):
    form_class = PersonForm
    title = gettext_lazy("New person")

    def get_initial(self):
        return {"unit": self.request.GET.get("unit")}

    def perform(self, data):
        return services.person_create(actor=self.request.user, **data)

    def cancel_url(self):
        return reverse("campaign:person_list")


class PersonUpdate(CampaignEdit):
    model = Person
    form_class = PersonForm

    def perform(self, data):
        return services.person_update(actor=self.request.user, person=self.object, **data)


person_list = PersonList.as_view()
person_export = PersonExport.as_view()
person_detail = PersonDetail.as_view()
person_create = PersonCreate.as_view()
person_update = PersonUpdate.as_view()


# --- Assignments ----------------------------------------------------------------------------------


class AssignmentList(ListPage):
    model = Assignment
    visible = staticmethod(selectors.assignments_visible_to)
    filterset_class = AssignmentFilterSet
    template_name = "campaign/assignment_list.html"
    partial_name = "campaign/_assignment_table.html"
    export_url_name = "campaign:assignment_export"

    def filtered(self, filterset):
        return selectors.assignment_list(filterset.qs)


class AssignmentExport(ExportView):
    model = Assignment
    visible = staticmethod(selectors.assignments_visible_to)
    filterset_class = AssignmentFilterSet

    def headers(self):
        return [
            _("Leader"),
            _("Rank"),
            _("Responsible for"),
            _("Required visits per week"),
            _("Start date"),
            _("End date"),
            _("Responsibility letter"),
            _("Note"),
        ]

    def rows(self, queryset):
        ranks = dict(Person.Rank.choices)
        return (
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
            for person, rank, region, site, visits, start, end, letter, note in queryset.order_by("person__name", "id")
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

    def filename_stem(self):
        return _("assignments")

    def sheet_title(self):
        return _("Assignments")


class AssignmentDetail(DetailPage):
    model = Assignment
    visible = staticmethod(selectors.assignments_visible_to)
    template_name = "campaign/assignment_detail.html"

    def shape(self, queryset):
        return selectors.assignment_list(queryset)

    def get_context_data(self, **kwargs):
        assignment, user = self.object, self.request.user
        return super().get_context_data(
            history=selectors.history_entries(assignment),
            visible_people=selectors.visible_person_ids(user, [assignment.person_id]),
            letter_visible=selectors.letter_visible(user, assignment),
            **kwargs,
        )


class AssignmentFormFiles:
    """The responsibility letter is an upload: a new file replaces it, anything else keeps it."""

    def get_form(self):
        return AssignmentForm(self.request.POST or None, self.request.FILES or None, **self.form_extra())

    def perform(self, data):
        letter = _upload(data.pop("responsibility_letter", None))
        return self.save(data, letter)


class AssignmentCreate(AssignmentFormFiles, CampaignForm):
    title = gettext_lazy("New assignment")

    def refusal(self):
        self.campaign = selectors.campaign_current()
        if self.campaign is None:
            messages.error(self.request, _("Create a campaign first (administration) before its assignments."))
            return redirect("campaign:assignment_list")
        return None

    def form_extra(self):
        return {"initial": {"person": self.request.GET.get("person"), "start_date": timezone.localdate()}}

    def save(self, data, letter):
        return services.assignment_create(
            actor=self.request.user, campaign=self.campaign, responsibility_letter=letter, **data
        )

    def cancel_url(self):
        return reverse("campaign:assignment_list")


class AssignmentUpdate(AssignmentFormFiles, CampaignEdit):
    model = Assignment

    def get_title(self):
        return _("Edit assignment")

    def form_extra(self):
        return {"instance": self.setup_object()}

    def save(self, data, letter):
        return services.assignment_update(
            actor=self.request.user, assignment=self.object, responsibility_letter=letter, **data
        )


assignment_list = AssignmentList.as_view()
assignment_export = AssignmentExport.as_view()
assignment_detail = AssignmentDetail.as_view()
assignment_create = AssignmentCreate.as_view()
assignment_update = AssignmentUpdate.as_view()
