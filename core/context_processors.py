from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    return {"ISSUING_BODY": settings.CAMPAIGN_ISSUING_BODY, "unread_notifications": unread}
