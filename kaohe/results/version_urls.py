"""URLs of the version pages, under /cycles/<cycle>/…"""

from django.urls import path

from . import version_views as views

urlpatterns: list = [
    path("<int:cycle>/runs/compare/", views.run_compare, name="run_compare"),
    path("<int:cycle>/runs/compare/export.xlsx", views.run_compare_export, name="run_compare_export"),
    path("<int:cycle>/runs/<int:run>/appeal/", views.appeal_new, name="appeal_new"),
    path("<int:cycle>/appeals/", views.appeal_list, name="appeal_list"),
    path("<int:cycle>/appeals/<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("<int:cycle>/appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
]
