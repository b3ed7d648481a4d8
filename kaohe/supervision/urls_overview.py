"""URLs of the supervision overview pages, under /supervision/…"""

from django.urls import path

urlpatterns: list = []
