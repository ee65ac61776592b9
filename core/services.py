import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from .models import ApiToken, LoginLock, Notification, SecurityEvent, User


class LoginRefused(DomainError):
    status_code = 400


class LoginLocked(DomainError):
    status_code = 403


def login_attempt(*, request, username: str, password: str):
    """Authenticate, counting failures per username; refuse a locked name even with the right password.
    Every way in (sign-in page, /admin/ sign-in, the token endpoint) goes through here, so each refusal is
    counted and logged once, here. The successful sign-in is logged by `auth.login` (user_logged_in signal) or,
    for the API, by `api_token_issue`."""
    username = (username or "").strip()
    if len(username) > LoginLock._meta.get_field("username").max_length:
        raise LoginRefused(_("Wrong username or password."))  # no account has such a name; nothing to count
    now = timezone.now()
    lock = LoginLock.objects.filter(username__iexact=username).first()
    if lock and lock.locked_until and lock.locked_until > now:
        minutes = max(1, int((lock.locked_until - now).total_seconds() // 60) + 1)
        security_event_record(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            request=request,
            username=username,
            user=_user_named(username),
            detail="locked",
        )
        raise LoginLocked(
            _("This account is locked after too many failed sign-ins. Try again in %(minutes)d minutes.")
            % {"minutes": minutes}
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        named = _user_named(username)
        security_event_record(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            request=request,
            username=username,
            user=named,
            detail="wrong_password" if named else "unknown_username",
        )
        if _record_failure(username=username, now=now):
            security_event_record(
                kind=SecurityEvent.Kind.LOCKOUT,
                request=request,
                username=username,
                user=named,
                detail=f"{settings.LOGIN_FAILURE_LIMIT} failures, {settings.LOGIN_LOCKOUT_MINUTES} minutes",
            )
            if named is not None:
                api_tokens_revoke(user=named, because=ApiToken.RevokedBecause.LOCKOUT, request=request)
        raise LoginRefused(_("Wrong username or password."))
    if lock:
        lock.delete()
    return user


def _user_named(username: str):
    return User.objects.filter(username__iexact=username).first() if username else None


@transaction.atomic
def _record_failure(*, username: str, now) -> bool:
    """Count one failure; True when this failure locks the name."""
    lock, _created = LoginLock.objects.select_for_update().get_or_create(username=username.lower())
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    if lock.last_failure_at and now - lock.last_failure_at > window:
        lock.failures = 0
    lock.failures += 1
    lock.last_failure_at = now
    locked = lock.failures >= settings.LOGIN_FAILURE_LIMIT
    if locked:
        lock.locked_until = now + window
        lock.failures = 0
    lock.save()
    return locked


# --- Security log ---------------------------------------------------------------------------------

USER_AGENT_MAX = SecurityEvent._meta.get_field("user_agent").max_length


def request_address(request) -> str | None:
    """REMOTE_ADDR only (see core.ratelimit.client_ip: a client's X-Forwarded-For is not trusted)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    address = (request.META.get("REMOTE_ADDR") or "").strip() if request is not None else ""
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def security_event_record(*, kind: str, request=None, user=None, username: str = "", detail: str = "") -> SecurityEvent:
    """Write one row of the security log. `username` is the name as typed (kept even when no user matches)."""
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    if not username and user is not None:
        username = user.get_username()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        username=(username or "")[:150],
        ip_address=request_address(request),
        user_agent=agent[:USER_AGENT_MAX],
        detail=(detail or "")[:300],
    )


@transaction.atomic
def security_log_purge(*, now=None) -> int:
    """Delete security events older than the retention (never less than 180 days: 等保 2.0 asks six months),
    and API tokens that can no longer be used and are older than that too. Safe to run twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=security_log_retention_days())
    deleted, _by_model = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    ApiToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted


SECURITY_LOG_MIN_DAYS = 180


def security_log_retention_days() -> int:
    return max(SECURITY_LOG_MIN_DAYS, int(getattr(settings, "SECURITY_LOG_RETENTION_DAYS", SECURITY_LOG_MIN_DAYS)))


# --- API tokens -----------------------------------------------------------------------------------


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def api_token_issue(*, request, username: str, password: str) -> str:
    """Sign in through the lockout and return a new key (shown once; only its digest is kept)."""
    user = login_attempt(request=request, username=username, password=password)
    key = secrets.token_hex(20)
    ApiToken.objects.create(user=user, digest=api_token_digest(key), prefix=key[:8])
    security_event_record(kind=SecurityEvent.Kind.TOKEN_ISSUED, request=request, user=user, detail=key[:8])
    return key


def api_tokens_revoke(*, user, because: str, request=None) -> int:
    """Revoke every live token of `user`; logs one event when there was any."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because
    )
    if count:
        security_event_record(
            kind=SecurityEvent.Kind.TOKEN_REVOKED, request=request, user=user, detail=f"{count} × {because}"
        )
    return count


def api_token_refusal(token: ApiToken, *, now) -> str | None:
    """Why this token may not be used now (a translated message), or None when it may."""
    if token.revoked_at is not None:
        return _("This token was revoked (%(reason)s). Request a new one.") % {
            "reason": token.get_revoked_because_display()
        }
    if now - token.created_at > timedelta(hours=settings.API_TOKEN_MAX_HOURS):
        return _("This token has expired. Request a new one.")
    idle_since = token.last_used_at or token.created_at
    if now - idle_since > timedelta(minutes=settings.API_TOKEN_IDLE_MINUTES):
        return _("This token has expired after being unused. Request a new one.")
    return None


# --- Passwords ------------------------------------------------------------------------------------


@transaction.atomic
def password_change(*, user, new_password: str) -> User:
    """The user chose a new password (validated by the form). The User signals revoke the API tokens and log
    the change; this also clears a temporary password's must-change flag."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


def notification_send(*, recipients, verb: str, title: str, body: str = "", url: str = "", email: bool = True):
    """Create in-app notifications and, after commit, mail those recipients that have an address."""
    recipients = [r for r in recipients if r is not None]
    Notification.objects.bulk_create(
        [Notification(recipient=r, verb=verb, title=title, body=body, url=url) for r in recipients]
    )
    addresses = sorted({r.email for r in recipients if r.email})
    if email and addresses:
        from core.tasks import send_mail_task

        transaction.on_commit(lambda: send_mail_task.delay(subject=title, body=f"{body}\n{url}".strip(), to=addresses))
