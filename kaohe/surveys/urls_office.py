"""URLs of the survey office pages (mounted at /cycles/)."""

from django.urls import path

from . import views_office as v

urlpatterns = [
    path("<int:cycle>/surveys/", v.survey_list, name="survey_list"),
    path("<int:cycle>/surveys/new/", v.survey_new, name="survey_new"),
    path("<int:cycle>/surveys/<int:pk>/", v.survey_detail, name="survey_detail"),
    path("<int:cycle>/surveys/<int:pk>/settings/", v.survey_settings, name="survey_settings"),
    path("<int:cycle>/surveys/<int:pk>/groups/add/", v.survey_group_add, name="survey_group_add"),
    path("<int:cycle>/surveys/<int:pk>/groups/<int:group>/edit/", v.survey_group_edit, name="survey_group_edit"),
    path("<int:cycle>/surveys/<int:pk>/groups/<int:group>/remove/", v.survey_group_remove, name="survey_group_remove"),
    path("<int:cycle>/surveys/<int:pk>/questions/add/", v.survey_question_add, name="survey_question_add"),
    path("<int:cycle>/surveys/<int:pk>/questions/<int:question>/", v.survey_question_edit, name="survey_question_edit"),
    path("<int:cycle>/surveys/<int:pk>/questions/<int:question>/remove/", v.survey_question_remove,
         name="survey_question_remove"),
    path("<int:cycle>/surveys/<int:pk>/status/", v.survey_status, name="survey_status"),
    path("<int:cycle>/surveys/<int:pk>/results/", v.survey_results, name="survey_results"),
    path("<int:cycle>/surveys/<int:pk>/results.xlsx", v.survey_results_export, name="survey_results_export"),
    path("<int:cycle>/surveys/<int:pk>/monitor/", v.survey_monitor, name="survey_monitor"),
    path("<int:cycle>/surveys/<int:pk>/monitor/data/", v.survey_monitor_data, name="survey_monitor_data"),
    path("<int:cycle>/surveys/<int:pk>/flagged/", v.survey_flagged, name="survey_flagged"),
    path("<int:cycle>/surveys/<int:pk>/flagged/<int:sub>/review/", v.survey_review, name="survey_review"),
    path("<int:cycle>/surveys/<int:pk>/comments/", v.survey_comments, name="survey_comments"),
    path("<int:cycle>/surveys/<int:pk>/comments/<int:comment>/reply/", v.survey_comment_reply,
         name="survey_comment_reply"),
]
