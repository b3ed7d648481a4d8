"""Runs live under their cycle: /cycles/<cycle>/runs/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:cycle>/runs/", views.run_list, name="run_list"),
    path("<int:cycle>/runs/compute/", views.run_compute, name="run_compute"),
    path("<int:cycle>/runs/<int:run>/publish/", views.run_publish, name="run_publish"),
    path("<int:cycle>/runs/<int:run>/", views.run_detail, name="run_detail"),
    path("<int:cycle>/runs/<int:run>/units/<int:unit>/", views.run_unit, name="run_unit"),
    path("<int:cycle>/runs/<int:run>/export.xlsx", views.run_export, name="run_export"),
]
