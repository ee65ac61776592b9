"""The OpenAPI schema documents the error answers too, with the bodies core.api.exceptions really sends.

drf-spectacular documents only the success of each operation; a client (and the API fuzz in
tests/core/test_api_fuzz.py) must also know what a refusal looks like. Which operation can answer what:

- 401 on every operation that needs a signed-in user, 403 on every operation (not signed in, the role refusal
  `NotPermitted`, a locked account at the token endpoint);
- 404 where the path names an object (outside the user's scope answers 404, `NotInScope`);
- 409 on the POST actions of an object (`InvalidTransition`: its state does not allow the move);
- 406 on an action that answers a file (core.api.renderers) to a client that accepts only JSON;
- 400 on every write and on every read that takes query parameters (field messages, `DomainError`);
- 415 on every write: a body in a media type the operation does not read.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

ERROR_COMPONENT = "Error"
VALIDATION_ERROR_COMPONENT = "ValidationError"

# {"detail": "…"}: what core.api.exceptions and DRF answer for 401, 403, 404, 406, 409 and 415.
ERROR_SCHEMA = {
    "type": "object",
    "description": "A refusal with one translated message.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# {"field": ["message", …], …}; {"detail": "…"} when the input as a whole is refused (e.g. malformed JSON);
# nested serializers nest (a list of objects for a list of entries).
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field name → translated messages; `detail` when the input as a whole is refused.",
    "properties": {"detail": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}},
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "object"},
            {"type": "string"},
        ],
    },
}

ERROR_DESCRIPTIONS = {
    "400": _("Invalid input: field messages"),
    "401": _("Not signed in, or the token is invalid or expired"),
    "403": _("Not signed in, or refused: the role does not allow this, or the account is locked"),
    "404": _("No such object in your scope"),
    "406": _("This answer is a file: accept its type (or */*), not JSON"),
    "409": _("The object's state does not allow this"),
    "415": _("The body is not in a media type this operation reads"),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema, plus the error answers of each operation (see the module docstring)."""

    def _error_ref(self, name, schema):
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        return component.ref

    def _has_query_parameters(self):
        return any(p.get("in") == "query" for p in self._get_parameters() or [])

    def _get_filter_parameters(self):
        """The bounds a FilterSet puts on a number (`NumberFilter(min_value=0, max_value=36500, decimal_places=0)`)
        are part of the schema: a client learns them there instead of from a 400."""
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = getattr(filterset_class, "base_filters", {}) if filterset_class else {}
        for parameter in parameters:
            extra = getattr(filters.get(parameter["name"]), "extra", {})
            schema = parameter.get("schema", {})
            if schema.get("type") not in ("number", "integer"):
                continue
            if extra.get("decimal_places") == 0:
                schema["type"] = "integer"
            if extra.get("min_value") is not None:
                schema["minimum"] = extra["min_value"]
            if extra.get("max_value") is not None:
                schema["maximum"] = extra["max_value"]
        return parameters

    def _is_paginated(self):
        return self.method == "GET" and any(p.get("name") == "page" for p in self._get_parameters() or [])

    def _error_codes(self):
        codes = []
        has_path_object = "{" in self.path
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        if writes or self._has_query_parameters():
            codes.append("400")
        if not any(issubclass(p, AllowAny) for p in getattr(self.view, "permission_classes", [])):
            codes.append("401")
        codes.append("403")  # also where no sign-in is needed: a refusal such as a locked account
        if has_path_object or self._is_paginated():
            codes.append("404")  # on a list: a page past the last one
        if has_path_object and self.method == "POST":
            codes.append("409")
        if writes:
            codes.append("415")  # a body in a media type the operation does not read (or a broken multipart)
        if "application/json" not in self.map_renderers("media_type"):
            codes.append("406")  # a file action (core.api.renderers): asked for JSON, it refuses
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code in responses:
                continue
            if code == "400":
                schema = self._error_ref(VALIDATION_ERROR_COMPONENT, VALIDATION_ERROR_SCHEMA)
            else:
                schema = self._error_ref(ERROR_COMPONENT, ERROR_SCHEMA)
            responses[code] = {
                "content": {"application/json": {"schema": schema}},
                "description": str(ERROR_DESCRIPTIONS.get(code, "")),
            }
        return responses
