"""Forms of the ticket pages. They only parse input: every rule is checked again by inspections.tickets.services,
whose DomainError / ValidationError the views show as messages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.models import Unit
from inspections.models import Category, Site


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one field. Content checks (JPEG/PNG/WebP, size) are done by inspections.tickets.photos."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_in_past(value):
    if value and value < timezone.localdate():
        raise forms.ValidationError(_("The deadline cannot be in the past."))
    return value


def active_units():
    return Unit.objects.filter(is_active=True).order_by("code")


class TicketReportForm(forms.Form):
    """Report a problem (every role; a unit's report is a self-inspection)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True).order_by("group", "code")
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    photos = MultiplePhotoField(label=_("Photos of the problem"), required=False)

    def __init__(self, *args, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sites is not None:
            self.fields["site"].queryset = sites.filter(is_active=True).select_related("site_type").order_by("code")

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if not value:
            raise forms.ValidationError(_("Describe the problem."))
        return value


class DispatchForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use the category's default number of working days."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()

    def clean_deadline(self):
        return _not_in_past(self.cleaned_data.get("deadline"))


class BulkDispatchForm(forms.Form):
    """Dispatch several tickets at once: to one unit, or each to its site's own responsible unit."""

    SITE_UNIT = "site"

    tickets = forms.ModelMultipleChoiceField(
        label=_("Tickets"),
        queryset=None,
        error_messages={
            "required": _("Select at least one ticket."),
        },
    )
    target = forms.ChoiceField(label=_("Dispatch to"))
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to use each category's default number of working days."),
    )

    def __init__(self, *args, tickets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].queryset = tickets
        self.fields["target"].choices = [
            ("", "—"),
            (self.SITE_UNIT, _("Each site's own responsible unit")),
        ] + [(str(unit.pk), unit.name) for unit in active_units().only("pk", "name")]

    def clean_deadline(self):
        return _not_in_past(self.cleaned_data.get("deadline"))

    def clean_target(self):
        value = self.cleaned_data.get("target")
        if not value:
            raise forms.ValidationError(_("Choose a unit."))
        return value

    def unit(self):
        target = self.cleaned_data["target"]
        return None if target == self.SITE_UNIT else active_units().get(pk=int(target))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Give a reason."))
        return value


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    photos = MultiplePhotoField(
        label=_("Photos after rectification"),
        error_messages={
            "required": _("Add at least one photo taken after the rectification."),
        },
    )


DECISIONS = [("yes", _("Pass")), ("no", _("Reject"))]


class VerifyForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Verification result"),
        choices=DECISIONS,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("approved") is False and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what is still wrong when you reject a rectification."))
        return data


class ExtendForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean_deadline(self):
        return _not_in_past(self.cleaned_data.get("deadline"))

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Give a reason."))
        return value


class DecideExtensionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class EmptyForm(forms.Form):
    """Sign for a ticket: nothing to fill in."""


ACTION_FORMS = {
    "file": NoteForm,
    "dispatch": DispatchForm,
    "sign": EmptyForm,
    "return": ReasonForm,
    "submit": SubmitForm,
    "verify": VerifyForm,
    "extend": ExtendForm,
    "decide-extension": DecideExtensionForm,
    "invalidate": ReasonForm,
}
