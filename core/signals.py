"""Account signals. Kept here, not in services, because every path must be covered: the admin's user and password
forms, `manage.py changepassword`, the shell and our own services all end in `User.save()`.

- A password change or a deactivation revokes the user's API tokens; a password change is logged.
- `auth.login` / `auth.logout` (sign-in page, /admin/ sign-in, sign-out) are logged as sign-in / sign-out.
Failed sign-ins and lockouts are logged by `core.services.login_attempt`, which every way in goes through.
"""

from django.contrib.auth.hashers import check_password, identify_hasher, is_password_usable
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from .models import ApiToken, SecurityEvent, User


def _current_request():
    """The request being served, if any (simple_history's HistoryRequestMiddleware keeps it per thread)."""
    return getattr(HistoricalRecords.context, "request", None)


@receiver(pre_save, sender=User)
def _remember_what_changes(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._password_changed = instance._deactivated = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login on every sign-in: no query
    old = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["password"] != instance.password:
        instance._password_changed = not _same_password(old["password"], instance)
    instance._deactivated = old["is_active"] and not instance.is_active


def _same_password(old_hash: str, instance) -> bool:
    """The hash changed, but is the password the same? Set again (the raw value is known: check it), or a hash
    upgraded on sign-in (Django clears the raw value there: the hasher or its work factor changed)."""
    raw_password = getattr(instance, "_password", None)
    if raw_password is not None:
        return bool(old_hash) and check_password(raw_password, old_hash)
    if not (is_password_usable(old_hash) and is_password_usable(instance.password)):
        return False
    try:
        old_hasher, new_hasher = identify_hasher(old_hash), identify_hasher(instance.password)
    except ValueError:
        return False
    return old_hasher.algorithm != new_hasher.algorithm or old_hasher.must_update(old_hash)


@receiver(post_save, sender=User)
def _revoke_and_log(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    from .services import api_tokens_revoke, security_event_record

    request = _current_request()
    if getattr(instance, "_password_changed", False):
        actor = getattr(request, "user", None) if request is not None else None
        by_other = actor is not None and actor.is_authenticated and actor.pk != instance.pk
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_CHANGE,
            request=request,
            user=instance,
            detail=f"by {actor.get_username()}" if by_other else "",
        )
        api_tokens_revoke(user=instance, because=ApiToken.RevokedBecause.PASSWORD, request=request)
    if getattr(instance, "_deactivated", False):
        api_tokens_revoke(user=instance, because=ApiToken.RevokedBecause.DEACTIVATED, request=request)
    instance._password_changed = instance._deactivated = False


@receiver(user_logged_in)
def _log_sign_in(sender, request, user, **kwargs):
    from .services import security_event_record

    security_event_record(kind=SecurityEvent.Kind.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def _log_sign_out(sender, request, user, **kwargs):
    from .services import security_event_record

    if user is not None and user.is_authenticated:
        security_event_record(kind=SecurityEvent.Kind.SIGN_OUT, request=request, user=user)
