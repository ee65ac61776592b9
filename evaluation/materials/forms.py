"""Forms of material review. They only parse input: every rule (file content and size, due dates, who may do
what) is checked again by evaluation.materials.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaign.models import Unit
from core.inputs import validate_calendar_day
from evaluation.models import MaterialRequirement

from . import selectors
from .services import MAX_DUE_WORKING_DAYS

ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialFilesField(forms.FileField):
    """Several files in one field; their content and size are checked by the services (core.files)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("allow_empty_file", True)  # the service refuses it, naming the file
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise ValidationError(_("Add at least one file."), code="required")
        return files


class StandardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.text[:60]}"


class RequirementForm(forms.Form):
    standard = StandardChoiceField(label=_("Standard"), queryset=selectors.material_standards())
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialRequirement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea({"rows": 3}))
    window_start = forms.DateField(
        label=_("Evidence from"), required=False, widget=DateInput(), validators=[validate_calendar_day]
    )
    window_end = forms.DateField(
        label=_("Evidence until"),
        required=False,
        widget=DateInput(),
        validators=[validate_calendar_day],
        help_text=_("Empty: the year up to the end of last month."),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=DateInput(), validators=[validate_calendar_day]
    )
    due_in_working_days = forms.IntegerField(
        label=_("Or due in working days"),
        required=False,
        min_value=1,
        max_value=MAX_DUE_WORKING_DAYS,
        help_text=_("Counted from today on the Chinese working calendar."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Submitting units"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.SelectMultiple({"size": 8}),
        help_text=_("Empty: the standard's responsible units on the responsibility list."),
    )

    def clean(self):
        data = super().clean()
        if data.get("due_date") is None and data.get("due_in_working_days") is None and not self.errors:
            self.add_error("due_date", _("Give a due date or a number of working days."))
        if data.get("due_date") is not None and data.get("due_in_working_days") is not None:
            self.add_error("due_in_working_days", _("Give a due date or a number of working days, not both."))
        return data


class SubmissionUploadForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))
    files = MaterialFilesField(label=_("Files"), required=False, help_text=_("PDF, Word, Excel or photos."))


class AddFilesForm(forms.Form):
    files = MaterialFilesField(label=_("Files"), required=True)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2}))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": _("Give the reason for returning the material.")},
    )


class EmptyForm(forms.Form):
    pass
