"""In-app notices."""

from django.urls import path

from . import notice_views

urlpatterns = [
    path("", notice_views.notice_list, name="notice_list"),
    path("<int:pk>/read/", notice_views.notice_read, name="notice_read"),
]
