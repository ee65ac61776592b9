"""`Authorization: Token …` with expiring, revocable keys (core.ApiToken).

Why our own model rather than DRF's authtoken.Token: that one stores the key itself (a database copy is a set of
working keys), allows one token per user, and has no created/last-used timestamps to expire on. Subclassing
TokenAuthentication keeps the header format and drf-spectacular's description of the scheme.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from core.models import ApiToken
from core.services import api_token_digest, api_token_refusal

# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        refusal = api_token_refusal(token, now=now)
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        if user.must_change_password:
            raise exceptions.PermissionDenied(
                _("Your password is temporary: change it on the web (“Change password”) before using the API.")
            )
        return (user, token)
