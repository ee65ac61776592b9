from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .roles import Role


class User(AbstractUser):
    """A named login. Its role decides what it may do; `unit` scopes a unit liaison to one unit."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SUPERVISOR)
    unit = models.ForeignKey(
        "campaign.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Set when the office gives the account a temporary password: every page leads to the password change
    # page (and the API answers 403) until the user has chosen their own.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    @property
    def is_office(self):
        return self.role == Role.OFFICE or self.is_superuser

    @property
    def is_supervisor(self):
        return self.role == Role.SUPERVISOR

    @property
    def is_unit_liaison(self):
        return self.role == Role.UNIT

    @property
    def is_leader(self):
        return self.role == Role.LEADER


class LoginLock(models.Model):
    """Failed sign-ins per username; past the limit the name is locked for a while (等保 2.0)."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login lock")
        verbose_name_plural = _("login locks")

    def __str__(self):
        return self.username


class Notification(models.Model):
    """An in-app message to one user (ticket dispatched, about to be overdue, bulletin published …)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class ApiToken(models.Model):
    """A key for `Authorization: Token …`. Only its SHA-256 digest is stored (a copy of the table gives no
    working key). It expires after an idle time and after an absolute lifetime (settings API_TOKEN_IDLE_MINUTES,
    API_TOKEN_MAX_HOURS), and is revoked when its user is locked out, deactivated or changes password."""

    class RevokedBecause(models.TextChoices):
        LOCKOUT = "lockout", _("account locked")
        DEACTIVATED = "deactivated", _("account deactivated")
        PASSWORD = "password", _("password changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(_("key digest"), max_length=64, unique=True)
    prefix = models.CharField(
        _("key prefix"), max_length=8, help_text=_("The first characters of the key, to tell tokens apart.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_because = models.CharField(_("revoked because"), max_length=20, choices=RevokedBecause.choices, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.prefix}…"


class SecurityEvent(models.Model):
    """The security log (等保 2.0 安全审计): who signed in, out or failed to, lockouts, password changes and API
    tokens, with when, from which address and with which browser. Kept SECURITY_LOG_RETENTION_DAYS (≥ 180)."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_OUT = "sign_out", _("Signed out")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKOUT = "lockout", _("Account locked")
        PASSWORD_CHANGE = "password_change", _("Password changed")
        TOKEN_ISSUED = "token_issued", _("API token issued")
        TOKEN_REVOKED = "token_revoked", _("API tokens revoked")

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    username = models.CharField(_("username as given"), max_length=150, blank=True, db_index=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username}"

    @staticmethod
    def detail_label(detail: str) -> str:
        """Details are stored as short codes or plain figures; the known codes read in the viewer's language."""
        labels = {
            "locked": _("account locked"),
            "wrong_password": _("wrong password"),
            "unknown_username": _("unknown username"),
        }
        return str(labels.get(detail, detail))

    @property
    def detail_display(self) -> str:
        return self.detail_label(self.detail)
