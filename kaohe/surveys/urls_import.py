"""URLs of the survey import pages (mounted at /cycles/)."""

from django.urls import path

from . import views_import as v

urlpatterns = [
    path("<int:cycle>/surveys/<int:pk>/import/", v.survey_import, name="survey_import"),
    path("<int:cycle>/surveys/<int:pk>/import/<int:batch>/", v.survey_import_status, name="survey_import_status"),
    path("<int:cycle>/surveys/<int:pk>/import/template.csv", v.survey_import_template, name="survey_import_template"),
]
