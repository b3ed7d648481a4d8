from django.urls import path

from . import views

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/import/", views.unit_import, name="unit_import"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/export.xlsx", views.unit_export, name="unit_export"),
    path("domains/", views.domain_names, name="domain_names"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]
