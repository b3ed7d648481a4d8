"""URLs of the supervision overview pages, under /supervision/…"""

from django.urls import path

from . import views_overview as v

urlpatterns: list = [
    path("", v.supervision_home, name="supervision_home"),
    path("mine/", v.supervision_mine, name="supervision_mine"),
    path("board/", v.supervision_board, name="supervision_board"),
    path("items/", v.supervision_items, name="supervision_items"),
    path("items/export/", v.supervision_items_export, name="supervision_items_export"),
    path("calendar/", v.supervision_calendar, name="supervision_calendar"),
    path("report/", v.supervision_report, name="supervision_report"),
]
