"""URLs of the table pages, under /cycles/<cycle>/…"""

from django.urls import path

from . import table_views

urlpatterns: list = [
    path("<int:cycle>/runs/<int:run>/ranking/", table_views.ranking_table, name="ranking_table"),
    path("<int:cycle>/runs/<int:run>/ranking.xlsx", table_views.ranking_table_xlsx, name="ranking_table_xlsx"),
    path("<int:cycle>/runs/<int:run>/ranking.pdf", table_views.ranking_table_pdf, name="ranking_table_pdf"),
    path("<int:cycle>/dashboard/", table_views.dashboard, name="dashboard"),
]
