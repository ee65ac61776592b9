from django import forms
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError

from .services import login_attempt


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.user = login_attempt(request=self.request, username=cleaned["username"], password=cleaned["password"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message)
        if not self.user.is_active:
            raise forms.ValidationError(_("This account is disabled."))
        return cleaned
