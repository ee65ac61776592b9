from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError

from .services import login_attempt


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

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
            raise forms.ValidationError(exc.message) from exc
        if not self.user.is_active:
            raise forms.ValidationError(_("This account is disabled."))
        return cleaned


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, authenticating through `login_attempt`: the lockout counts and refuses here too
    (finding 4 of issue 9: /admin/login/ used to call authenticate() directly, with unlimited guesses)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_attempt(request=self.request, username=username, password=password)
            except DomainError as exc:
                raise forms.ValidationError(exc.message, code="invalid_login") from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordChangeForm(forms.Form):
    """The signed-in user's own password: the current one, then the new one twice (Django's validators)."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # Built per request, so the rules read in the user's language.
        self.fields["new_password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(_("Your current password is not correct."), code="password_incorrect")
        return old

    def clean(self):
        cleaned = super().clean()
        new1, new2 = cleaned.get("new_password1"), cleaned.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", _("The two new passwords are not the same."))
        elif new1:
            if cleaned.get("old_password") and new1 == cleaned["old_password"]:
                self.add_error("new_password1", _("Choose a password different from the current one."))
            else:
                try:
                    password_validation.validate_password(new1, self.user)
                except forms.ValidationError as exc:
                    self.add_error("new_password1", exc)
        return cleaned


class TemporaryPasswordCreationForm(AdminUserCreationForm):
    """The admin's "add user": the password given there is temporary; the user must change it at first sign-in."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
            if hasattr(self, "save_m2m"):
                self.save_m2m()
        return user


class TemporaryPasswordSetForm(AdminPasswordChangeForm):
    """The admin setting someone else's password: a temporary one, to be changed at the next sign-in."""

    def save(self, commit=True):
        from simple_history.models import HistoricalRecords

        super().save(commit=False)
        request = getattr(HistoricalRecords.context, "request", None)
        if getattr(getattr(request, "user", None), "pk", None) != self.user.pk:  # not one's own password
            self.user.must_change_password = True
        if commit:
            self.user.save()
        return self.user


class XlsxUploadForm(forms.Form):
    """The upload of an import (.xlsx): checked as a workbook by content before the import reads it."""

    file = forms.FileField(label=_("Spreadsheet (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def clean_file(self):
        from core.files import workbook_form_field

        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        return workbook_form_field(file)
