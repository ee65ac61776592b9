from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.renderers import FileActionMixin, PDFRenderer
from core.api.viewsets import ScopedViewSet
from core.exceptions import NotPermitted

from .. import selectors, services
from ..filtersets import BulletinFilterSet
from .serializers import BulletinDetailSerializer, BulletinRequestSerializer, BulletinSerializer


class BulletinViewSet(FileActionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Bulletins. The office sees all (drafts and failures too) and may request, publish and retry; everybody
    else sees published bulletins only. POST answers 202: the PDF is made in the background."""

    filterset_class = BulletinFilterSet
    selector = staticmethod(selectors.bulletin_list)

    def get_serializer_class(self):
        return BulletinDetailSerializer if self.action == "retrieve" else BulletinSerializer

    def get_object(self):
        return selectors.bulletin_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def _office_only(self):
        if not self.request.user.is_office:
            raise NotPermitted(_("Only the campaign office may generate or publish bulletins."))

    @extend_schema(request=BulletinRequestSerializer, responses={202: BulletinDetailSerializer})
    def create(self, request):
        self._office_only()
        data = BulletinRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bulletin = services.bulletin_request(actor=request.user, **data.validated_data)
        return Response(
            BulletinDetailSerializer(bulletin, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(request=None, responses=BulletinDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        bulletin = services.bulletin_publish(actor=request.user, bulletin=self.get_object())
        return Response(BulletinDetailSerializer(bulletin, context={"request": request}).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], renderer_classes=[PDFRenderer])
    def pdf(self, request, pk=None):
        """The PDF (session or token); ?download=1 as an attachment. `Accept: application/json` answers 406."""
        from django.http import FileResponse, Http404

        bulletin = self.get_object()
        if not bulletin.pdf:
            raise Http404(_("This bulletin has no PDF yet."))
        return FileResponse(
            bulletin.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=request.GET.get("download") == "1",
            filename=services.pdf_filename(bulletin),
        )

    @extend_schema(request=None, responses={202: BulletinDetailSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        bulletin = services.bulletin_retry(actor=request.user, bulletin=self.get_object())
        return Response(
            BulletinDetailSerializer(bulletin, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )
