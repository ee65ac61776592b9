"""Pages of questionnaires (问卷) and survey rounds (调查轮次): the office lists, creates and edits them, imports and
exports a questionnaire and a round's quotas (.xlsx), opens and closes a round and turns its public self-fill link on
or off (with a QR code). Every signed-in user reads them (a surveyor sees the rounds they run first); the leader
reads only (403 on writes)."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.selectors import history_entries
from core.scope import scope_of
from core.views_base import (
    ActionView,
    DetailPage,
    ExportView,
    FormActionView,
    FormPage,
    ImportPage,
    ListPage,
    OfficeRequiredMixin,
    visible_or_404,
)
from core.xlsx import XLSX_CONTENT_TYPE, xlsx_response
from evaluation.models import Question, Questionnaire, SurveyQuota, SurveyResponse, SurveyRound

from . import selectors, services
from .filtersets import QuestionnaireFilterSet, SurveyRoundFilterSet
from .forms import QuestionForm, QuestionnaireForm, QuotaForm, RoundForm


class OfficeOnly(OfficeRequiredMixin):
    office_message = gettext_lazy("Only the campaign office may change questionnaires and survey rounds.")


def can_edit(user) -> bool:
    scope = scope_of(user)
    return scope.is_office and not scope.read_only


_visible = visible_or_404


# --- Questionnaires ------------------------------------------------------------------------------------------


class QuestionnaireList(ListPage):
    model = Questionnaire
    selector = staticmethod(selectors.questionnaire_list)
    filterset_class = QuestionnaireFilterSet
    template_name = "evaluation/questionnaires/list.html"
    partial_name = "evaluation/questionnaires/_table.html"
    export_url_name = "evaluation:questionnaire_export"

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit=can_edit(self.request.user), **kwargs)


class QuestionnaireExport(ExportView):
    model = Questionnaire
    selector = staticmethod(selectors.questionnaire_detail)
    filterset_class = QuestionnaireFilterSet

    def headers(self):
        return services.questionnaire_export_headers()

    def rows(self, queryset):
        return services.questionnaire_export_rows(queryset.order_by("code"))

    def filename_stem(self):
        return "问卷"

    def sheet_title(self):
        return "问卷"


@login_required
def questionnaire_export_one(request, pk):
    """One questionnaire as the import's sheet (edit it and import it again, or under a new code)."""
    rows = selectors.questionnaire_detail(user=request.user).filter(pk=pk)
    questionnaire = rows.first()
    if questionnaire is None:
        raise Http404(_("Questionnaire not found."))
    filename = f"问卷{questionnaire.code}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(
        filename=filename,
        headers=services.questionnaire_export_headers(),
        rows=services.questionnaire_export_rows([questionnaire]),
        sheet_title=f"问卷{questionnaire.code}",
    )


class QuestionnaireDetail(DetailPage):
    model = Questionnaire
    template_name = "evaluation/questionnaires/detail.html"
    context_object_name = "questionnaire"

    def visible_queryset(self):
        return selectors.questionnaire_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_entries(self.object)
        context["can_edit"] = can_edit(self.request.user)
        context["rounds"] = self.object.rounds.order_by("-start_date", "-id")
        return context


class QuestionnairePreview(QuestionnaireDetail):
    """The questionnaire as respondents see it on a phone (nothing is sent)."""

    template_name = "evaluation/questionnaires/preview.html"


class QuestionnaireCreate(OfficeOnly, FormPage):
    template_name = "evaluation/questionnaires/form.html"
    form_class = QuestionnaireForm
    title = gettext_lazy("New questionnaire")
    success_message = gettext_lazy("The questionnaire was created: add its questions.")

    def perform(self, data):
        return services.questionnaire_create(actor=self.request.user, **data)

    def success_url(self, questionnaire):
        return reverse("evaluation:questionnaire_detail", args=[questionnaire.pk])

    def cancel_url(self):
        return reverse("evaluation:questionnaire_list")


class QuestionnaireUpdate(OfficeOnly, FormPage):
    template_name = "evaluation/questionnaires/form.html"
    form_class = QuestionnaireForm
    success_message = gettext_lazy("The questionnaire was saved.")
    invalid_status = 400

    def get_questionnaire(self):
        if not hasattr(self, "questionnaire"):
            self.questionnaire = _visible(Questionnaire, self.request.user, self.kwargs["pk"])
        return self.questionnaire

    def get_initial(self):
        return QuestionnaireForm.initial_for(self.get_questionnaire())

    def get_title(self):
        return _("Edit questionnaire %(code)s") % {"code": self.get_questionnaire().code}

    def perform(self, data):
        return services.questionnaire_update(actor=self.request.user, questionnaire=self.get_questionnaire(), **data)

    def success_url(self, questionnaire):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("evaluation:questionnaire_detail", args=[self.get_questionnaire().pk])


class QuestionnaireDelete(OfficeOnly, ActionView):
    success_message = gettext_lazy("The questionnaire was deleted.")

    def get_object(self):
        return _visible(Questionnaire, self.request.user, self.kwargs["pk"])

    def act(self, questionnaire):
        return services.questionnaire_delete(actor=self.request.user, questionnaire=questionnaire)

    def back_url(self, questionnaire):
        return reverse("evaluation:questionnaire_detail", args=[questionnaire.pk])

    def success_url(self, questionnaire, result):
        return reverse("evaluation:questionnaire_list")


class QuestionnaireImport(ImportPage):
    template_name = "evaluation/questionnaires/import.html"
    title = gettext_lazy("Import questionnaires")
    office_message = OfficeOnly.office_message

    def run(self, actor, file):
        return services.questionnaire_import(actor=actor, file=file)

    def get_success_message(self):
        return lambda result: (
            _("Imported %(questions)d questions: %(created)d questionnaires added, %(updated)d replaced.")
            % {"questions": result.details["questions"], "created": result.created, "updated": result.updated}
        )

    def success_url(self, result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("evaluation:questionnaire_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=services.QUESTIONNAIRE_COLUMNS, **kwargs)


@login_required
def questionnaire_sample(request):
    """The template (.xlsx) offices fill in: the import's columns and a short example questionnaire."""
    content = services.questionnaire_sample_workbook()
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="questionnaire-template.xlsx"'
    return response


# --- Questions -----------------------------------------------------------------------------------------------


class QuestionCreate(OfficeOnly, FormPage):
    template_name = "evaluation/questionnaires/form.html"
    form_class = QuestionForm
    success_message = gettext_lazy("The question was added.")

    def get_questionnaire(self):
        if not hasattr(self, "questionnaire"):
            self.questionnaire = _visible(Questionnaire, self.request.user, self.kwargs["pk"])
        return self.questionnaire

    def get_initial(self):
        last = self.get_questionnaire().questions.order_by("-number").values_list("number", flat=True).first()
        return {"number": (last or 0) + 1, "is_required": True}

    def get_title(self):
        return _("New question in questionnaire %(code)s") % {"code": self.get_questionnaire().code}

    def perform(self, data):
        return services.question_create(actor=self.request.user, questionnaire=self.get_questionnaire(), **data)

    def success_url(self, question):
        return self.cancel_url() + f"#q{question.number}"

    def cancel_url(self):
        return reverse("evaluation:questionnaire_detail", args=[self.get_questionnaire().pk])


class QuestionUpdate(OfficeOnly, FormPage):
    template_name = "evaluation/questionnaires/form.html"
    form_class = QuestionForm
    success_message = gettext_lazy("The question was saved.")
    invalid_status = 400

    def get_question(self):
        if not hasattr(self, "question"):
            self.question = _visible(Question, self.request.user, self.kwargs["pk"])
        return self.question

    def get_initial(self):
        return QuestionForm.initial_for(self.get_question())

    def get_title(self):
        question = self.get_question()
        return _("Question %(number)d of questionnaire %(code)s") % {
            "number": question.number,
            "code": question.questionnaire.code,
        }

    def perform(self, data):
        return services.question_update(actor=self.request.user, question=self.get_question(), **data)

    def success_url(self, question):
        return reverse("evaluation:questionnaire_detail", args=[question.questionnaire_id]) + f"#q{question.number}"

    def cancel_url(self):
        return reverse("evaluation:questionnaire_detail", args=[self.get_question().questionnaire_id])


class QuestionDelete(OfficeOnly, ActionView):
    success_message = gettext_lazy("The question was deleted.")

    def get_object(self):
        return _visible(Question, self.request.user, self.kwargs["pk"])

    def act(self, question):
        return services.question_delete(actor=self.request.user, question=question)

    def back_url(self, question):
        return reverse("evaluation:questionnaire_detail", args=[question.questionnaire_id])


# --- Survey rounds -------------------------------------------------------------------------------------------


class RoundList(ListPage):
    model = SurveyRound
    selector = staticmethod(selectors.round_list)
    filterset_class = SurveyRoundFilterSet
    template_name = "evaluation/questionnaires/round_list.html"
    partial_name = "evaluation/questionnaires/_round_table.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit=can_edit(self.request.user), **kwargs)


class RoundDetail(DetailPage):
    model = SurveyRound
    template_name = "evaluation/questionnaires/round_detail.html"
    context_object_name = "round"

    def visible_queryset(self):
        return selectors.round_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey_round = self.object
        quotas = survey_round.quota_rows
        editable = can_edit(self.request.user)
        context.update(
            history=history_entries(survey_round),
            can_edit=editable,
            quotas=quotas,
            totals={"target": sum(q.target for q in quotas), "done": sum(min(q.done, q.target) for q in quotas)},
            public_url=selectors.public_link(self.request, survey_round),
            quota_form=(
                QuotaForm(round=survey_round) if editable and survey_round.status != SurveyRound.Status.CLOSED else None
            ),
            mine=[q for q in quotas if q.surveyor_id == self.request.user.pk],
            weights=[
                (label, survey_round.source_weights[source])
                for source, label in SurveyResponse.Source.choices
                if survey_round.source_weights.get(source)
            ],
        )
        return context


class RoundCreate(OfficeOnly, FormPage):
    template_name = "evaluation/questionnaires/form.html"
    form_class = RoundForm
    title = gettext_lazy("New survey round")
    success_message = gettext_lazy("The round was created as a draft: set its quotas, then open it.")

    def perform(self, data):
        return services.round_create(actor=self.request.user, **data)

    def success_url(self, survey_round):
        return reverse("evaluation:survey_round_detail", args=[survey_round.pk])

    def cancel_url(self):
        return reverse("evaluation:survey_round_list")


class RoundUpdate(OfficeOnly, FormPage):
    template_name = "evaluation/questionnaires/form.html"
    form_class = RoundForm
    success_message = gettext_lazy("The round was saved.")
    invalid_status = 400

    def get_round(self):
        if not hasattr(self, "survey_round"):
            self.survey_round = _visible(SurveyRound, self.request.user, self.kwargs["pk"])
        return self.survey_round

    def get_form(self):
        return RoundForm(round=self.get_round(), **self.get_form_kwargs())

    def get_initial(self):
        return RoundForm.initial_for(self.get_round())

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.get_round().name}

    def perform(self, data):
        return services.round_update(actor=self.request.user, round=self.get_round(), **data)

    def success_url(self, survey_round):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("evaluation:survey_round_detail", args=[self.get_round().pk])


class RoundAction(OfficeOnly, ActionView):
    def get_object(self):
        return _visible(SurveyRound, self.request.user, self.kwargs["pk"])

    def back_url(self, survey_round):
        return reverse("evaluation:survey_round_detail", args=[survey_round.pk])


class RoundOpen(RoundAction):
    success_message = gettext_lazy("The round is open: surveyors can send responses.")

    def act(self, survey_round):
        return services.round_open(actor=self.request.user, round=survey_round)


class RoundClose(RoundAction):
    success_message = gettext_lazy("The round is closed: it accepts no more responses.")

    def act(self, survey_round):
        return services.round_close(actor=self.request.user, round=survey_round)


class RoundLinkOn(RoundAction):
    success_message = gettext_lazy("The public self-fill link is on.")

    def act(self, survey_round):
        return services.round_public_link(actor=self.request.user, round=survey_round, enabled=True)


class RoundLinkOff(RoundAction):
    success_message = gettext_lazy("The public self-fill link is off: the old link no longer works.")

    def act(self, survey_round):
        return services.round_public_link(actor=self.request.user, round=survey_round, enabled=False)


@login_required
def survey_round_qr(request, pk):
    """The QR code (SVG) of a round's public self-fill link (404 while the link is off)."""
    import qrcode
    import qrcode.image.svg

    survey_round = _visible(SurveyRound, request.user, pk)
    url = selectors.public_link(request, survey_round)
    if url is None:
        raise Http404(_("This round has no public link."))
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-round-{survey_round.pk}.svg"'
    return response


# --- Quotas --------------------------------------------------------------------------------------------------


class QuotaSave(OfficeOnly, FormActionView):
    form_class = QuotaForm
    success_message = gettext_lazy("The quota was saved.")

    def get_object(self):
        return _visible(SurveyRound, self.request.user, self.kwargs["pk"])

    def get_form(self, survey_round):
        return QuotaForm(self.request.POST, round=survey_round)

    def act(self, survey_round, data):
        return services.quota_save(actor=self.request.user, round=survey_round, **data)

    def back_url(self, survey_round):
        return reverse("evaluation:survey_round_detail", args=[survey_round.pk]) + "#quotas"


class QuotaDelete(OfficeOnly, ActionView):
    success_message = gettext_lazy("The quota was removed.")

    def get_object(self):
        return _visible(SurveyQuota, self.request.user, self.kwargs["pk"])

    def act(self, quota):
        return services.quota_delete(actor=self.request.user, quota=quota)

    def back_url(self, quota):
        return reverse("evaluation:survey_round_detail", args=[quota.round_id]) + "#quotas"


class QuotaImport(ImportPage):
    template_name = "evaluation/questionnaires/quota_import.html"
    office_message = OfficeOnly.office_message

    def get_round(self):
        if not hasattr(self, "survey_round"):
            self.survey_round = _visible(SurveyRound, self.request.user, self.kwargs["pk"])
        return self.survey_round

    def get_title(self):
        return _("Import the quotas of %(name)s") % {"name": self.get_round().name}

    def run(self, actor, file):
        return services.quota_import(actor=actor, round=self.get_round(), file=file)

    def get_success_message(self):
        return lambda result: (
            _("Imported %(rows)d rows: %(created)d quotas added, %(updated)d changed, %(unchanged)d unchanged.")
            % {
                "rows": result.details["rows"],
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.details["unchanged"],
            }
        )

    def success_url(self, result):
        return self.cancel_url()

    def cancel_url(self):
        return reverse("evaluation:survey_round_detail", args=[self.get_round().pk]) + "#quotas"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=services.QUOTA_COLUMNS, round=self.get_round(), **kwargs)


@login_required
def survey_quota_export(request, pk):
    """A round's quotas with their progress, as the import's sheet."""
    survey_round = _visible(SurveyRound, request.user, pk)
    quotas = selectors.quotas_with_progress(SurveyQuota.objects.filter(round=survey_round))
    return xlsx_response(
        filename=f"配额-{survey_round.pk}-{timezone.localdate():%Y%m%d}.xlsx",
        headers=services.quota_export_headers(),
        rows=services.quota_export_rows(quotas),
        sheet_title="配额",
    )


@login_required
def survey_quota_sample(request):
    content = services.quota_sample_workbook()
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="quota-template.xlsx"'
    return response


questionnaire_list = QuestionnaireList.as_view()
questionnaire_export = QuestionnaireExport.as_view()
questionnaire_detail = QuestionnaireDetail.as_view()
questionnaire_preview = QuestionnairePreview.as_view()
questionnaire_create = QuestionnaireCreate.as_view()
questionnaire_update = QuestionnaireUpdate.as_view()
questionnaire_delete = QuestionnaireDelete.as_view()
questionnaire_import = QuestionnaireImport.as_view()
question_create = QuestionCreate.as_view()
question_update = QuestionUpdate.as_view()
question_delete = QuestionDelete.as_view()
survey_round_list = RoundList.as_view()
survey_round_detail = RoundDetail.as_view()
survey_round_create = RoundCreate.as_view()
survey_round_update = RoundUpdate.as_view()
survey_round_open = RoundOpen.as_view()
survey_round_close = RoundClose.as_view()
survey_round_link_on = RoundLinkOn.as_view()
survey_round_link_off = RoundLinkOff.as_view()
survey_quota_save = QuotaSave.as_view()
survey_quota_delete = QuotaDelete.as_view()
survey_quota_import = QuotaImport.as_view()
