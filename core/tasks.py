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
