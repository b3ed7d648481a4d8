"""URLs of the supervision projects pages, under /supervision/…"""

from django.urls import path

urlpatterns: list = []
