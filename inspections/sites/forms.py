"""Forms of the site, evaluation-system and patrol pages. They only parse input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaign.models import Region, Unit
from core.forms import XlsxUploadForm  # noqa: F401  (the import pages of sites use it)
from core.roles import Role
from core.scope import scope_of
from evaluation.models import EvaluationItem
from inspections.models import Category, Patrol, Site, SiteType
from inspections.sites.services import patrol_kinds_for


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SiteForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("record name", "Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40)
    site_type = forms.ModelChoiceField(label=_("Site type"), queryset=SiteType.objects.order_by("sort_order", "name"))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("path"))
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.filter(is_active=True).order_by("code")
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    is_key = forms.BooleanField(label=_("Key site"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def initial_for(cls, site: Site) -> dict:
        return {f: getattr(site, f) for f in cls.base_fields}


class SiteTypeForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("record name", "Name"), max_length=50)
    code = forms.CharField(label=_("Code"), max_length=40)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    standards = forms.ModelMultipleChoiceField(
        label=_("Checklist"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD).order_by("code"),
    )


class CategoryForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("record name", "Name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=40)
    group = forms.ChoiceField(label=_("Group"), choices=Category.Group.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Category.Severity.choices)
    deadline_working_days = forms.IntegerField(label=_("Deadline in working days"), min_value=1, max_value=365)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} · {obj.get_role_display()}"


class PatrolStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of patrol"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    members = PeopleField(
        label=_("Patrolling with"),
        required=False,
        queryset=None,
        help_text=_("Others on this patrol (a joint patrol counts for every leader in it)."),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        from core.models import User

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = patrol_kinds_for(user)
        scope = scope_of(user)
        people = User.objects.filter(is_active=True).exclude(pk=user.pk).order_by("role", "first_name", "username")
        if scope.is_unit:
            people = people.filter(unit_id=scope.unit_id) if scope.unit_id else people.none()
        else:
            people = people.filter(role__in=[Role.OFFICE, Role.SUPERVISOR, Role.LEADER])
        self.fields["members"].queryset = people
        if scope.is_unit:
            self.initial.setdefault("kind", Patrol.Kind.SELF_INSPECTION)
        elif scope.is_leader:
            self.initial.setdefault("kind", Patrol.Kind.LEADER_SPLIT)
        else:
            self.initial.setdefault("kind", Patrol.Kind.SUPERVISION_GROUP)


class CheckInForm(forms.Form):
    site = forms.IntegerField(widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ProblemForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Problem category"), queryset=Category.objects.filter(is_active=True))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotoField(label=_("Photos"), required=False)


class FixOnSpotForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Problem category"), queryset=Category.objects.filter(is_active=True))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    before_photos = MultiplePhotoField(label=_("Photos before"))
    after_photos = MultiplePhotoField(label=_("Photos after"))


class WeekForm(forms.Form):
    week = forms.DateField(label=_("Week of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
