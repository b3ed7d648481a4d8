"""URLs of the supervision items pages, under /supervision/…"""

from django.urls import path

from . import views_items as views

urlpatterns = [
    path("items/new/", views.item_new, name="supervision_item_new"),
    path("items/import/", views.item_import, name="supervision_import"),
    path("items/template.xlsx", views.item_template, name="supervision_template"),
    path("items/<int:pk>/", views.item_detail, name="supervision_item"),
    path("items/<int:pk>/edit/", views.item_edit, name="supervision_item_edit"),
    path("items/<int:pk>/progress/", views.item_progress, name="supervision_progress"),
    path("items/<int:pk>/complete/", views.item_complete, name="supervision_complete"),
    path("items/<int:pk>/close/", views.item_close, name="supervision_close"),
    path("items/<int:pk>/reopen/", views.item_reopen, name="supervision_reopen"),
    path("items/<int:pk>/decompose/", views.item_decompose, name="supervision_decompose"),
    path("items/<int:pk>/letters/new/", views.letter_new, name="supervision_letter_new"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="supervision_letter_pdf"),
]
