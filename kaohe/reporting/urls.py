"""URLs of reporting, under /cycles/<cycle>/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:cycle>/reports/", views.report_list, name="report_list"),
    path("<int:cycle>/reports/<int:indicator>/", views.report_edit, name="report_edit"),
    path("<int:cycle>/reports/r/<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:cycle>/reports/r/<int:pk>/review/", views.report_review, name="report_review"),
    path("<int:cycle>/reports/r/<int:pk>/evidence/<int:ev>/delete/", views.report_evidence_delete,
         name="report_evidence_delete"),
    path("<int:cycle>/review/", views.review_queue, name="review_queue"),
    path("<int:cycle>/review/export.xlsx", views.review_export, name="review_export"),
    path("<int:cycle>/review/remind/", views.report_remind, name="report_remind"),
]
