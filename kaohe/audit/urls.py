"""The audit log under /audit/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.audit_log, name="audit_log"),
    path("<str:object_type>/<str:object_id>/", views.audit_object, name="audit_object"),
]
