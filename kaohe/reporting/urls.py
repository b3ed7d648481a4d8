"""URLs of reporting, under /cycles/<cycle>/…"""

from django.urls import path  # noqa: F401

urlpatterns: list = []
