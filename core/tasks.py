from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_mail_task(*, subject, body, to):
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


@shared_task
def ping(value):
    """Round trip through the broker: the CI test sends it to a real worker and reads the answer."""
    return {"pong": value}


@shared_task(name="core.purge_security_log")
def purge_security_log():
    """Nightly (beat): drop security events older than SECURITY_LOG_RETENTION_DAYS (never under 180)."""
    from core.services import security_log_purge

    return security_log_purge()
