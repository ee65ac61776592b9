"""Pages of the evaluation (/evaluation/): the system here; the responsibility list, material review and its
completeness and package in their subpackages (one URL namespace, `evaluation:`)."""

from django.urls import path

from . import views
from .completeness.urls import urlpatterns as completeness_patterns
from .materials.urls import urlpatterns as material_patterns
from .questionnaires.urls import urlpatterns as questionnaire_patterns
from .rates.urls import urlpatterns as rate_patterns
from .readiness.urls import urlpatterns as readiness_patterns
from .responsibilities.urls import urlpatterns as responsibility_patterns
from .surveys.urls import urlpatterns as survey_patterns

app_name = "evaluation"

urlpatterns = [
    path("", views.item_tree, name="item_tree"),
    path("import/", views.item_import, name="item_import"),
    path("sample.xlsx", views.item_sample, name="item_sample"),
    path("load-sample/", views.item_load_sample, name="item_load_sample"),
    *responsibility_patterns,
    *material_patterns,
    *completeness_patterns,
    *questionnaire_patterns,
    *survey_patterns,
    *rate_patterns,
    *readiness_patterns,
]
