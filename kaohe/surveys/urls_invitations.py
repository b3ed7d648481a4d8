"""URLs of the office's invitation pages (one-time codes, the printed sheet, SMS), under /cycles/<cycle>/surveys/."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("<int:cycle>/surveys/<int:pk>/tokens/", views.survey_tokens, name="survey_tokens"),
    path("<int:cycle>/surveys/<int:pk>/tokens/<int:group>.pdf", views.survey_tokens_pdf, name="survey_tokens_pdf"),
    path("<int:cycle>/surveys/<int:pk>/sms/", views.survey_sms, name="survey_sms"),
]
