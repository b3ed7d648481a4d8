"""URLs of the survey office pages."""

from django.urls import path

urlpatterns: list = []
