"""Forms only parse input; the services validate the rules and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .filtersets import RegionChoiceField
from .models import Assignment, CommandBody, Membership, Person, Region, Unit


class ServiceModelForm(forms.ModelForm):
    """A ModelForm that does not validate or build the instance itself: the service does both, so the page and
    the API give the same messages (e.g. a duplicate code)."""

    def _post_clean(self):
        pass


class RegionForm(ServiceModelForm):
    parent = RegionChoiceField(label=_("Parent"), queryset=Region.objects.order_by("path"), required=False)

    class Meta:
        model = Region
        fields = ["name", "code", "level", "parent", "sort_order"]


class UnitForm(ServiceModelForm):
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.order_by("path"))

    class Meta:
        model = Unit
        fields = [
            "name",
            "code",
            "kind",
            "region",
            "civilized_level",
            "civilized_year",
            "contact_name",
            "contact_phone",
            "address",
            "is_active",
        ]


class PersonForm(ServiceModelForm):
    class Meta:
        model = Person
        fields = ["name", "rank", "title", "unit", "phone", "user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("code")


class CommandBodyForm(ServiceModelForm):
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions in scope"),
        queryset=Region.objects.filter(level__lte=Region.Level.COMMUNITY).order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    class Meta:
        model = CommandBody
        fields = ["name", "kind", "parent", "duty", "sort_order", "regions"]

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = CommandBody.objects.all()
        if campaign is not None:
            bodies = bodies.filter(campaign=campaign)
        self.fields["parent"].queryset = bodies
        self.fields["regions"].label_from_instance = lambda r: "\u3000" * max(0, r.level - 1) + r.name


class MembershipForm(ServiceModelForm):
    class Meta:
        model = Membership
        fields = ["person", "role", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.select_related("unit").order_by("name")


class AssignmentForm(ServiceModelForm):
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.order_by("path"), required=False)

    class Meta:
        model = Assignment
        fields = [
            "person",
            "region",
            "site",
            "required_visits_per_week",
            "start_date",
            "end_date",
            "note",
            "responsibility_letter",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "responsibility_letter": forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png,.webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.exclude(rank=Person.Rank.STAFF).order_by("name")
        self.fields["site"].queryset = self.fields["site"].queryset.order_by("code")
