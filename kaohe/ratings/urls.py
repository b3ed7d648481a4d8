"""URLs of online rating (四位一体 评议), under /cycles/<cycle>/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:cycle>/rating/", views.rating_setup, name="rating_setup"),
    path("<int:cycle>/rating/remind/", views.rating_remind, name="rating_remind"),
    path("<int:cycle>/rating/groups/", views.rater_group_save, name="rater_group_save"),
    path("<int:cycle>/rating/groups/<int:pk>/delete/", views.rater_group_delete, name="rater_group_delete"),
    path("<int:cycle>/rating/window/", views.rating_window_save, name="rating_window_save"),
    path("<int:cycle>/rating/raters/add/", views.rater_add, name="rater_add"),
    path("<int:cycle>/rating/raters/import/", views.rater_import, name="rater_import"),
    path("<int:cycle>/rating/raters/<int:pk>/", views.rater_edit, name="rater_edit"),
    path("<int:cycle>/rating/raters/<int:pk>/delete/", views.rater_delete, name="rater_delete"),
    path("<int:cycle>/rating/scores/", views.rating_scores, name="rating_scores"),
    path("<int:cycle>/rating/scores/export.xlsx", views.rating_scores_export, name="rating_scores_export"),
    path("<int:cycle>/sheets/", views.rating_sheets, name="rating_sheets"),
    path("<int:cycle>/sheets/<int:pk>/", views.rating_sheet, name="rating_sheet"),
]
