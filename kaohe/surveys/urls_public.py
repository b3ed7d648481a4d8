"""URLs of /s/: the public's answering page (a one-time code, or the open link) and the office's invitations."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    # the office's pages; a code is a single path segment, so "<code>/" never takes these
    path("manage/<int:cycle>/<int:pk>/tokens/", views.survey_tokens, name="survey_tokens"),
    path("manage/<int:cycle>/<int:pk>/tokens/<int:group>.pdf", views.survey_tokens_pdf, name="survey_tokens_pdf"),
    path("manage/<int:cycle>/<int:pk>/sms/", views.survey_sms, name="survey_sms"),
    path("o/<str:slug>/", views.survey_open, name="survey_open"),
    path("<str:code>/", views.survey_answer, name="survey_answer"),
]
