"""URLs of the supervision items pages, under /supervision/…"""

from django.urls import path

urlpatterns: list = []
