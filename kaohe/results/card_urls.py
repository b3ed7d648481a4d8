"""URLs of the card pages, under /cycles/<cycle>/… (the card page itself is `run_unit` in urls.py)."""

from django.urls import path

from . import card_views

urlpatterns: list = [
    path("<int:cycle>/runs/<int:run>/units/<int:unit>/card.pdf", card_views.run_unit_pdf, name="run_unit_pdf"),
    path("<int:cycle>/runs/<int:run>/units/<int:unit>/card.xlsx", card_views.run_unit_xlsx, name="run_unit_xlsx"),
    path("<int:cycle>/runs/<int:run>/cards/export/", card_views.card_export_start, name="card_export_start"),
    path("<int:cycle>/runs/<int:run>/cards/export/<int:job>/", card_views.card_export_status,
         name="card_export_status"),
    path("<int:cycle>/runs/<int:run>/cards/export/<int:job>/download/", card_views.card_export_download,
         name="card_export_download"),
]
