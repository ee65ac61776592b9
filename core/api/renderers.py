"""Renderers for API actions that answer a file rather than JSON (issue 9, finding 13).

An action that returns a file names its renderer (`renderer_classes=[PDFRenderer]`), so DRF's content
negotiation agrees with what the action sends: `Accept: application/pdf`, `*/*` or no Accept get the file,
`Accept: application/json` gets 406. The view's refusals (404, 403, 406) stay JSON: see `FileActionMixin`."""

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data  # the action answers a FileResponse with the bytes; nothing is serialised here


class FileActionMixin:
    """Errors of a file action are JSON, like every other refusal of the API, whatever the Accept header said."""

    def finalize_response(self, request, response, *args, **kwargs):
        renderers = self.get_renderers()
        if (
            isinstance(response, Response)
            and getattr(response, "exception", False)
            and not any(isinstance(r, JSONRenderer) for r in renderers)
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
