"""URLs of /s/: the public's answering page (a one-time code, or the open link)."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("o/<str:slug>/", views.survey_open, name="survey_open"),
    path("<str:code>/", views.survey_answer, name="survey_answer"),
]
