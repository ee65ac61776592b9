from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.scope import scope_of
from core.services import api_token_issue


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username"), max_length=150)
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False, max_length=4096
    )


class ObtainTokenView(APIView):
    """POST username and password, get a token for `Authorization: Token …` (lockout applies). The token expires
    when unused for API_TOKEN_IDLE_MINUTES and API_TOKEN_MAX_HOURS after it was issued, and is revoked when the
    account is locked, deactivated or changes password; each request issues a new one."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=TokenRequestSerializer, responses=inline_serializer("Token", {"token": serializers.CharField()})
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = api_token_issue(request=request._request, **data.validated_data)
        return Response({"token": key})


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    role = serializers.CharField()
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    regions = serializers.SerializerMethodField()

    def get_regions(self, user) -> list[int] | None:
        ids = scope_of(user).region_ids  # the one scope, computed once per request (core.scope)
        return None if ids is None else sorted(ids)


class MeView(APIView):
    """The signed-in user. `regions` is null when the user's scope is everything."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
