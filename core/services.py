from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from .models import LoginLock, Notification


class LoginRefused(DomainError):
    status_code = 400


class LoginLocked(DomainError):
    status_code = 403


def login_attempt(*, request, username: str, password: str):
    """Authenticate, counting failures per username; refuse a locked name even with the right password."""
    username = (username or "").strip()
    now = timezone.now()
    lock = LoginLock.objects.filter(username__iexact=username).first()
    if lock and lock.locked_until and lock.locked_until > now:
        minutes = max(1, int((lock.locked_until - now).total_seconds() // 60) + 1)
        raise LoginLocked(
            _("This account is locked after too many failed sign-ins. Try again in %(minutes)d minutes.")
            % {"minutes": minutes}
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        _record_failure(username=username, now=now)
        raise LoginRefused(_("Wrong username or password."))
    if lock:
        lock.delete()
    return user


@transaction.atomic
def _record_failure(*, username: str, now):
    lock, _created = LoginLock.objects.select_for_update().get_or_create(username=username.lower())
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    if lock.last_failure_at and now - lock.last_failure_at > window:
        lock.failures = 0
    lock.failures += 1
    lock.last_failure_at = now
    if lock.failures >= settings.LOGIN_FAILURE_LIMIT:
        lock.locked_until = now + window
        lock.failures = 0
    lock.save()


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
