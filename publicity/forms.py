from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Asset, Condition, Post, PrintedMaterial, ThemeEvent


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input; they are checked (JPEG, PNG or WebP, size) by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultiplePhotoField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AssetForm(forms.ModelForm):
    photos = MultiplePhotoField(label=_("Photos"))

    class Meta:
        model = Asset
        fields = [
            "code",
            "kind",
            "theme",
            "site",
            "address",
            "lat",
            "lng",
            "region",
            "quantity",
            "unit",
            "installed_on",
        ]
        widgets = {"installed_on": DateInput()}
        help_texts = {"code": _("Leave empty to number it automatically.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "region", "unit"):
            self.fields[name].required = False
        self.fields["site"].queryset = self.fields["site"].queryset.order_by("code")
        if self.instance.pk is not None:  # editing (services.asset_update): photos come with the checks
            del self.fields["photos"]
            self.fields["code"].required = True
            self.fields["code"].help_text = ""
            self.fields["site"].help_text = _(
                "Choosing another site moves the asset there: its position, region and unit become the site's, "
                "unless you change them too."
            )

    def validate_unique(self):
        pass

    def changes(self) -> dict:
        """For services.asset_update: only what the user changed, so that the rest keeps its value."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self._meta.fields}


class CheckForm(forms.Form):
    asset = forms.IntegerField(widget=forms.HiddenInput)
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultiplePhotoField(label=_("Photos"))


class PostForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Post
        fields = ["channel", "title", "url", "published_on", "views"]
        widgets = {"published_on": DateInput()}


class PrintedMaterialForm(forms.ModelForm):
    class Meta:
        model = PrintedMaterial
        fields = ["kind", "quantity", "region", "handed_out_on", "note"]
        widgets = {"handed_out_on": DateInput()}


class ThemeEventForm(forms.ModelForm):
    class Meta:
        model = ThemeEvent
        fields = ["title", "held_on", "region", "place", "participants", "description"]
        widgets = {"held_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
