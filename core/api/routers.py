"""The API's routers: an object's id in a URL is a number (Django's `int` path converter), so
`/api/v1/patrols/abc/finish/` is a 404 at the URL resolver instead of a ValueError deep in a view (issue 9,
finding 8), and the OpenAPI schema says `integer`. Every app's api/urls.py uses these."""

from rest_framework import routers


class IntegerIdRouterMixin:
    def __init__(self, trailing_slash=True, use_regex_path=False):
        super().__init__(trailing_slash=trailing_slash, use_regex_path=use_regex_path)
        if not use_regex_path:
            self._default_value_pattern = "int"  # a viewset may still name its own (`lookup_value_converter`)


class SimpleRouter(IntegerIdRouterMixin, routers.SimpleRouter):
    pass


class DefaultRouter(IntegerIdRouterMixin, routers.DefaultRouter):
    # No `tickets.json` twins of every route: the API speaks JSON (the Accept header), one URL per resource.
    include_format_suffixes = False
