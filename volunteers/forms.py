from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaign.models import Region, Unit

from .models import Activity, MicroWish, Pairing, PartyReport, Team, Volunteer
from .widgets import FastSelect


class DateInput(forms.DateInput):
    """<input type=date> takes only ISO dates: never the language's date format."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def communities():
    return Region.objects.filter(level=Region.Level.COMMUNITY).order_by("path")


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "is_brand", "unit", "region", "leader_name", "contact_phone", "founded_on", "description"]
        widgets = {"founded_on": DateInput()}


class VolunteerForm(forms.ModelForm):
    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.order_by("name"), required=False, label=_("Teams"))

    class Meta:
        model = Volunteer
        fields = ["name", "gender", "phone", "id_number", "region", "is_party_member", "registered_on"]
        widgets = {"registered_on": DateInput()}

    def validate_unique(self):
        """Uniqueness is checked by the service, with the same messages for page, API and import."""


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))

    def clean_file(self):
        from core.files import workbook_form_field

        return workbook_form_field(self.cleaned_data["file"])


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["theme", "kind", "team", "start_at", "end_at", "site", "address", "description"]
        widgets = {"start_at": DateTimeInput(), "end_at": DateTimeInput(), "team": FastSelect, "site": FastSelect}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["end_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["site"].queryset = self.fields["site"].queryset.order_by("code")
        teams = Team.objects.order_by("name")
        if user is not None and not user.is_office:
            teams = teams.filter(unit_id=user.unit_id) if user.unit_id else teams.none()
        self.fields["team"].queryset = teams


class SignInForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )


class HoursForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=24, decimal_places=1)


class AddParticipantForm(forms.Form):
    phone = forms.CharField(label=_("Volunteer's mobile number"), max_length=11)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=24, decimal_places=1, required=False)


class PairingForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["unit", "community", "start_date", "content"]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.exclude(civilized_level="").order_by("name")
        self.fields["community"].queryset = communities()

    def validate_unique(self):
        pass


class JointActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PartyReportForm(forms.ModelForm):
    member_phone = forms.CharField(label=_("Party member's mobile number"), max_length=11)
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    class Meta:
        model = PartyReport
        fields = ["community", "month", "service", "hours"]
        widgets = {"service": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities()

    def validate_unique(self):
        pass


class MicroWishForm(forms.ModelForm):
    class Meta:
        model = MicroWish
        fields = ["community", "resident_name", "resident_phone", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities()


class ClaimForm(forms.Form):
    volunteer_phone = forms.CharField(label=_("Volunteer's mobile number"), max_length=11, required=False)
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"), label=_("Unit"), required=False)


class FulfilForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    )  # checked by core.files in the service
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
