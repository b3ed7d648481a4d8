"""URLs of the survey public pages."""

from django.urls import path

urlpatterns: list = []
