"""URLs of the survey import pages."""

from django.urls import path

urlpatterns: list = []
