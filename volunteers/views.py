"""Pages of the volunteers app. Views parse input, call one service or selector and shape the answer."""

from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from campaign.selectors import history_entries
from core import ratelimit
from core.exceptions import DomainError, NotPermitted
from core.masking import personal_masker
from core.pages import NOT_DONE, paginate, run_form, show_service_error, submit_form
from core.periods import page_period
from core.scope import scope_of
from core.views_base import ExportView, FormActionView, FormPage, GuardedFormPage, ListPage, ListWithFormPage

from . import selectors, services
from .filtersets import (
    ActivityFilterSet,
    MicroWishFilterSet,
    PairingFilterSet,
    PartyReportFilterSet,
    TeamFilterSet,
    VolunteerFilterSet,
)
from .forms import (
    ActivityForm,
    AddParticipantForm,
    ClaimForm,
    FulfilForm,
    HoursForm,
    ImportForm,
    JointActivityForm,
    MicroWishForm,
    PairingForm,
    PartyReportForm,
    SignInForm,
    TeamForm,
    VolunteerForm,
)
from .models import Activity, MicroWish, Participation, Volunteer


def _require_office(request):
    if not services.can_manage_volunteers(request.user):
        raise NotPermitted(_("Only campaign office staff may do this."))


def _forbidden(request, exc):
    messages.error(request, exc.message)
    return render(request, "volunteers/forbidden.html", status=403)


OFFICE_ONLY = gettext_lazy("Only campaign office staff may do this.")


class VolunteersList(ListPage):
    """The app's lists: the FilterSet is bound to the query string even when it is empty."""

    bind_empty_query = True


class VolunteersForm(GuardedFormPage):
    """The app's form pages: the office's unless `allowed()` says otherwise."""

    template_name = "volunteers/form.html"
    forbidden_template = "volunteers/forbidden.html"
    refused_message = OFFICE_ONLY

    def allowed(self) -> bool:
        return services.can_manage_volunteers(self.request.user)


# --- Teams -----------------------------------------------------------------------------------------------


class TeamList(VolunteersList):
    selector = staticmethod(selectors.team_list)
    filterset_class = TeamFilterSet
    template_name = "volunteers/team_list.html"
    partial_name = "volunteers/_team_table.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=services.can_manage_volunteers(self.request.user), **kwargs)


team_list = TeamList.as_view()


@login_required
def team_detail(request, pk):
    team = get_object_or_404(selectors.team_list(user=request.user), pk=pk)
    members = paginate(request, selectors.volunteer_list(user=request.user).filter(memberships__team=team))
    activities = selectors.activity_list(user=request.user).filter(team=team)[:20]
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "page": members,
            "activities": activities,
            "can_manage": services.can_manage_team(request.user, team),
        },
    )


class TeamCreate(VolunteersForm):
    form_class = TeamForm
    title = gettext_lazy("New volunteer team")
    success_message = gettext_lazy("The team was created.")

    def perform(self, data):
        return services.team_create(actor=self.request.user, **data)

    def success_url(self, team):
        return reverse("volunteers:team_detail", args=[team.pk])

    def cancel_url(self):
        return reverse("volunteers:team_list")


team_create = TeamCreate.as_view()


# --- Volunteers --------------------------------------------------------------------------------------------


class VolunteerList(VolunteersList):
    selector = staticmethod(selectors.volunteer_list)
    filterset_class = VolunteerFilterSet
    template_name = "volunteers/volunteer_list.html"
    partial_name = "volunteers/_volunteer_table.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage=services.can_manage_volunteers(self.request.user),
            export_query=self.request.GET.urlencode(),
            **kwargs,
        )


volunteer_list = VolunteerList.as_view()


@login_required
def volunteer_detail(request, pk):
    volunteer = get_object_or_404(selectors.volunteer_list(user=request.user), pk=pk)
    participations = volunteer.participations.select_related("activity", "activity__team").order_by("-day", "-id")[:50]
    can_manage = services.can_manage_volunteers(request.user)
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "participations": participations,
            "can_manage": can_manage,
            # The history holds the unmasked phone and ID numbers: the office's only, like the numbers themselves.
            "history": history_entries(volunteer) if can_manage else [],
        },
    )


class VolunteerCreate(VolunteersForm):
    form_class = VolunteerForm
    title = gettext_lazy("Register a volunteer")
    success_message = gettext_lazy("The volunteer was registered.")

    def perform(self, data):
        return services.volunteer_create(actor=self.request.user, **data)

    def success_url(self, volunteer):
        return reverse("volunteers:volunteer_detail", args=[volunteer.pk])

    def cancel_url(self):
        return reverse("volunteers:volunteer_list")


class VolunteerUpdate(VolunteersForm):
    form_class = VolunteerForm
    success_message = gettext_lazy("The volunteer's record was saved.")
    invalid_status = 400

    def refusal(self):
        # Out of scope is a 404 before the role is looked at.
        self.volunteer = get_object_or_404(selectors.volunteer_list(user=self.request.user), pk=self.kwargs["pk"])
        return super().refusal()

    def form_extra(self):
        teams = list(self.volunteer.teams.values_list("pk", flat=True))
        return {"instance": self.volunteer, "initial": {"teams": teams}}

    def perform(self, data):
        return services.volunteer_update(actor=self.request.user, volunteer=self.volunteer, **data)

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.volunteer.name}

    def success_url(self, _result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("volunteers:volunteer_detail", args=[self.volunteer.pk])


volunteer_create = VolunteerCreate.as_view()
volunteer_update = VolunteerUpdate.as_view()


class VolunteerImport(VolunteersForm):
    """Upload a workbook of volunteers: all rows or none; a rejected file lists its bad rows (`errors`)."""

    form_class = ImportForm
    uploads = True
    template_name = "volunteers/volunteer_import.html"
    errors = None

    def perform(self, data):
        try:
            return services.volunteer_import(actor=self.request.user, file=data["file"])
        except services.ImportRejected as exc:
            self.errors = exc.errors  # its message goes on the page; the rows are listed under the form
            raise

    def get_success_message(self):
        return lambda count: _("%(count)d volunteers were imported.") % {"count": count}

    def success_url(self, _count):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("volunteers:volunteer_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(errors=self.errors, columns=services.IMPORT_COLUMNS, **kwargs)


volunteer_import = VolunteerImport.as_view()


@login_required
def volunteer_import_template(request):
    from core.xlsx import xlsx_response

    columns = [titles[0] for titles in services.IMPORT_COLUMNS.values()]
    example = [
        "张三",
        "男",
        "13800001234",
        services.id_number_with_checksum("14020219900101123"),
        "",
        "否",
        timezone.localdate().isoformat(),
        "",
    ]
    return xlsx_response(filename="志愿者导入模板.xlsx", headers=columns, rows=[example], sheet_title="志愿者")


class VolunteerExport(ExportView):
    selector = staticmethod(selectors.volunteer_list)
    filterset_class = VolunteerFilterSet
    bind_empty_query = True

    def headers(self):
        return [
            pgettext("person", "Name"),
            _("Gender"),
            _("Mobile phone"),
            _("ID number"),
            _("Region"),
            _("Party member"),
            _("Registered on"),
            _("Teams"),
        ]

    def rows(self, queryset):
        show = personal_masker(self.request.user)
        for v in queryset.iterator(chunk_size=2000):
            yield [
                v.name,
                v.get_gender_display(),
                show(v.phone),
                show(v.id_number),
                v.region.name if v.region_id else "",
                _("Yes") if v.is_party_member else _("No"),
                v.registered_on,
                "、".join(t.name for t in v.teams.all()),
            ]

    def filename_stem(self):
        return _("Volunteers")

    def sheet_title(self):
        return _("Volunteers")


volunteer_export = VolunteerExport.as_view()


# --- Activities ------------------------------------------------------------------------------------------


class ActivityList(VolunteersList):
    selector = staticmethod(selectors.activity_list)
    filterset_class = ActivityFilterSet
    template_name = "volunteers/activity_list.html"
    partial_name = "volunteers/_activity_table.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_create = services.can_manage_volunteers(user) or services.is_unit_liaison(user)
        return super().get_context_data(can_create=can_create, **kwargs)


activity_list = ActivityList.as_view()


@login_required
def activity_detail(request, pk):
    activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
    sign_in_url = request.build_absolute_uri(reverse("volunteers:activity_sign_in", args=[activity.sign_in_token]))
    can_manage = services.can_manage_team(request.user, activity.team)
    return render(
        request,
        "volunteers/activity_detail.html",
        {
            "activity": activity,
            "participants": selectors.activity_participants(activity=activity),
            "can_manage": can_manage,
            "sign_in_url": sign_in_url,
            "history": history_entries(activity) if can_manage else [],
            "qr_svg": _qr_svg(sign_in_url),
            "add_form": AddParticipantForm(),
        },
    )


def _qr_svg(data: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@login_required
def activity_qr(request, pk):
    """A printable page: the QR code that opens the activity's phone sign-in page."""
    activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
    sign_in_url = request.build_absolute_uri(reverse("volunteers:activity_sign_in", args=[activity.sign_in_token]))
    return render(
        request,
        "volunteers/activity_qr.html",
        {"activity": activity, "sign_in_url": sign_in_url, "qr_svg": _qr_svg(sign_in_url)},
    )


class ActivityCreate(VolunteersForm):
    form_class = ActivityForm
    title = gettext_lazy("New volunteer activity")
    success_message = gettext_lazy("The activity was created. Print its QR code for sign-in.")
    refused_message = gettext_lazy("Only the office or an organising unit may add activities.")

    def allowed(self):
        user = self.request.user
        return services.can_manage_volunteers(user) or services.is_unit_liaison(user)

    def form_extra(self):
        return {"user": self.request.user}

    def perform(self, data):
        return services.activity_create(actor=self.request.user, **data)

    def success_url(self, activity):
        return reverse("volunteers:activity_detail", args=[activity.pk])

    def cancel_url(self):
        return reverse("volunteers:activity_list")


class ActivityUpdate(VolunteersForm):
    form_class = ActivityForm
    title = gettext_lazy("Edit the activity")
    success_message = gettext_lazy("The activity was saved.")
    refused_message = gettext_lazy("Only the office or the team's organising unit may change its activities.")
    invalid_status = 400

    def refusal(self):
        self.activity = get_object_or_404(selectors.activity_list(user=self.request.user), pk=self.kwargs["pk"])
        return super().refusal()

    def allowed(self):
        return services.can_manage_team(self.request.user, self.activity.team)

    def form_extra(self):
        return {"instance": self.activity, "user": self.request.user}

    def perform(self, data):
        return services.activity_update(actor=self.request.user, activity=self.activity, **data)

    def success_url(self, _result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("volunteers:activity_detail", args=[self.activity.pk])


activity_create = ActivityCreate.as_view()
activity_update = ActivityUpdate.as_view()


class ParticipationAction(FormActionView):
    """A form on the activity page about one participation the user sees; back to the activity page."""

    def get_object(self):
        return get_object_or_404(
            Participation.objects.filter(activity__in=selectors.activities_visible_to(self.request.user)),
            pk=self.kwargs["pk"],
        )

    def back_url(self, participation):
        return reverse("volunteers:activity_detail", args=[participation.activity_id])


@login_required
@require_POST
def participation_remove(request, pk):
    participation = get_object_or_404(
        Participation.objects.filter(activity__in=selectors.activities_visible_to(request.user)), pk=pk
    )
    try:
        services.participation_remove(actor=request.user, participation=participation)
    except DomainError as exc:
        show_service_error(request, exc)
    else:
        messages.success(request, _("The participant was removed."))
    return redirect("volunteers:activity_detail", pk=participation.activity_id)


def activity_sign_in(request, token):
    """The page the activity's QR code opens on a volunteer's phone; no account needed. Attempts are rate-limited
    per address and per phone number, so the page cannot be used to try names against phone numbers."""
    activity = Activity.objects.select_related("team", "site").filter(sign_in_token=token).first()
    if activity is None:
        raise Http404
    form = SignInForm(request.POST or None)
    outcome = {"status": 400 if request.method == "POST" else 200}

    def sign_in(data):
        window = settings.SIGN_IN_RATE_WINDOW
        phone = data["phone"].strip()
        if not (
            ratelimit.allow(
                f"sign-in:ip:{ratelimit.client_ip(request)}", limit=settings.SIGN_IN_RATE_PER_ADDRESS, window=window
            )
            and ratelimit.allow(
                f"sign-in:phone:{activity.pk}:{phone}", limit=settings.SIGN_IN_RATE_PER_PHONE, window=window
            )
        ):
            outcome["status"] = 429
            raise DomainError(_("Too many sign-in attempts. Wait a few minutes and try again."))
        return services.activity_sign_in(activity=activity, **data)

    # The answer is this page again (no redirect): the volunteer's phone shows what was recorded.
    result = run_form(request, form, sign_in)
    done = None
    if result is not NOT_DONE:
        participation, created = result
        done, form, outcome["status"] = {"participation": participation, "created": created}, SignInForm(), 200
    return render(
        request, "volunteers/sign_in.html", {"activity": activity, "form": form, "done": done}, status=outcome["status"]
    )


class ParticipationAdd(FormActionView):
    """Add a registered volunteer (found by mobile number) to an activity, from its page."""

    form_class = AddParticipantForm
    invalid_message = gettext_lazy("Enter a mobile number and valid hours.")

    def get_object(self):
        return get_object_or_404(selectors.activity_list(user=self.request.user), pk=self.kwargs["pk"])

    def act(self, activity, data):
        volunteer = Volunteer.objects.filter(phone=data["phone"].strip()).first()
        if volunteer is None:
            raise ValidationError(_("No registered volunteer has this phone number."))
        services.participation_add(actor=self.request.user, activity=activity, volunteer=volunteer, hours=data["hours"])
        return volunteer

    def success(self, volunteer):
        return _("%(name)s was added.") % {"name": volunteer.name}

    def back_url(self, activity):
        return reverse("volunteers:activity_detail", args=[activity.pk])


class ParticipationHours(ParticipationAction):
    form_class = HoursForm
    invalid_message = gettext_lazy("Hours must be between 0 and 24.")
    success_message = gettext_lazy("The hours were saved.")

    def act(self, participation, data):
        return services.participation_set_hours(
            actor=self.request.user, participation=participation, hours=data["hours"]
        )


participation_add = ParticipationAdd.as_view()
participation_hours = ParticipationHours.as_view()


# --- Figures -------------------------------------------------------------------------------------------


@login_required
def figures(request):
    period = page_period(request)
    data = selectors.volunteer_figures(start=period["start"], end=period["end"])
    return render(
        request,
        "volunteers/figures.html",
        {**period, "figures": data, "top_teams": data["by_team"][:30]},
        status=period["status"],
    )


# --- Pairings, party members' reports, micro-wishes ------------------------------------------------------


class PairingList(ListWithFormPage, VolunteersList):
    selector = staticmethod(selectors.pairing_list)
    filterset_class = PairingFilterSet
    template_name = "volunteers/pairing_list.html"
    partial_name = "volunteers/_pairing_table.html"
    form_class = PairingForm
    success_message = gettext_lazy("The pairing was recorded.")

    def perform(self, data):
        return services.pairing_create(actor=self.request.user, **data)

    def success_url(self, pairing):
        return reverse("volunteers:pairing_detail", args=[pairing.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=services.can_manage_volunteers(self.request.user), **kwargs)


pairing_list = PairingList.as_view()


class PairingDetail(LoginRequiredMixin, FormPage):
    """A pairing, its joint activities and the form that records one more (the service decides who may)."""

    template_name = "volunteers/pairing_detail.html"
    form_class = JointActivityForm
    success_message = gettext_lazy("The joint activity was recorded.")

    def refusal(self):
        self.pairing = get_object_or_404(selectors.pairing_list(user=self.request.user), pk=self.kwargs["pk"])
        return None

    def perform(self, data):
        return services.joint_activity_add(actor=self.request.user, pairing=self.pairing, **data)

    def success_url(self, _result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("volunteers:pairing_detail", args=[self.pairing.pk])

    def get_context_data(self, **kwargs):
        user, pairing = self.request.user, self.pairing
        return super().get_context_data(
            pairing=pairing,
            joint_activities=pairing.joint_activities.all(),
            can_add=services.can_manage_volunteers(user) or services.is_liaison_of(user, pairing.unit_id),
            **kwargs,
        )


pairing_detail = PairingDetail.as_view()


class PartyReportList(ListWithFormPage, VolunteersList):
    selector = staticmethod(selectors.party_report_list)
    filterset_class = PartyReportFilterSet
    template_name = "volunteers/party_report_list.html"
    partial_name = "volunteers/_party_report_table.html"
    form_class = PartyReportForm
    success_message = gettext_lazy("The report was recorded.")

    def perform(self, data):
        data = dict(data)
        member = Volunteer.objects.filter(phone=data.pop("member_phone").strip()).first()
        if member is None:
            raise ValidationError({"member_phone": _("No registered volunteer has this phone number.")})
        return services.party_report_create(actor=self.request.user, member=member, **data)

    def success_url(self, _report):
        return reverse("volunteers:party_report_list")

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_add = services.can_manage_volunteers(user) or scope_of(user).is_unit
        return super().get_context_data(can_add=can_add, **kwargs)


class MicroWishList(ListWithFormPage, VolunteersList):
    selector = staticmethod(selectors.microwish_list)
    filterset_class = MicroWishFilterSet
    template_name = "volunteers/microwish_list.html"
    partial_name = "volunteers/_microwish_table.html"
    form_class = MicroWishForm
    success_message = gettext_lazy("The wish was posted.")

    def perform(self, data):
        return services.microwish_post(actor=self.request.user, **data)

    def success_url(self, wish):
        return reverse("volunteers:microwish_detail", args=[wish.pk])

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_post = services.can_manage_volunteers(user) or scope_of(user).is_unit
        return super().get_context_data(can_post=can_post, **kwargs)


party_report_list = PartyReportList.as_view()
microwish_list = MicroWishList.as_view()


@login_required
def microwish_detail(request, pk):
    wish = get_object_or_404(selectors.microwish_list(user=request.user), pk=pk)
    claim_form, fulfil_form = ClaimForm(), FulfilForm()
    here = reverse("volunteers:microwish_detail", args=[wish.pk])

    def claim(data):
        phone = data["volunteer_phone"].strip()
        volunteer = Volunteer.objects.filter(phone=phone).first() if phone else None
        if phone and volunteer is None:
            raise ValidationError({"volunteer_phone": _("No registered volunteer has this phone number.")})
        return services.microwish_claim(actor=request.user, wish=wish, volunteer=volunteer, unit=data["unit"])

    def fulfil(data):
        return services.microwish_fulfil(actor=request.user, wish=wish, **data)

    action = request.POST.get("action") if request.method == "POST" else None
    done = None
    if action == "claim":
        claim_form = ClaimForm(request.POST)
        done = submit_form(
            request, claim_form, claim, success=_("The wish was claimed."), redirect_to=lambda _result: here
        )
    elif action == "fulfil":
        fulfil_form = FulfilForm(request.POST, request.FILES)
        done = submit_form(
            request, fulfil_form, fulfil, success=_("The wish was marked fulfilled."), redirect_to=lambda _result: here
        )
    if done:
        return done
    user = request.user
    return render(
        request,
        "volunteers/microwish_detail.html",
        {
            "wish": wish,
            "claim_form": claim_form,
            "fulfil_form": fulfil_form,
            "can_claim": wish.status == MicroWish.Status.POSTED
            and (services.can_manage_volunteers(user) or scope_of(user).is_unit),
            "can_fulfil": wish.status == MicroWish.Status.CLAIMED
            and (services.can_manage_volunteers(user) or services.is_liaison_of(user, wish.claimed_by_unit_id)),
        },
    )
