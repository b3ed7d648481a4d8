"""Runs live under their cycle: /cycles/<cycle>/runs/…"""

from django.urls import path

from . import card_urls, table_urls, version_urls, views

urlpatterns = [
    path("<int:cycle>/runs/", views.run_list, name="run_list"),
    path("<int:cycle>/runs/compute/", views.run_compute, name="run_compute"),
    path("<int:cycle>/runs/<int:run>/announce/", views.run_announce, name="run_announce"),
    path("<int:cycle>/runs/<int:run>/finalize/", views.run_finalize, name="run_finalize"),
    path("<int:cycle>/runs/<int:run>/", views.run_detail, name="run_detail"),
    path("<int:cycle>/runs/<int:run>/units/<int:unit>/", views.run_unit, name="run_unit"),
    path("<int:cycle>/runs/<int:run>/export.xlsx", views.run_export, name="run_export"),
]
urlpatterns += version_urls.urlpatterns + card_urls.urlpatterns + table_urls.urlpatterns
