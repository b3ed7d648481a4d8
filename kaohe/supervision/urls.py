"""URLs of supervision (督查督办), under /supervision/."""

from django.urls import include, path

urlpatterns = [
    path("", include("kaohe.supervision.urls_overview")),
    path("", include("kaohe.supervision.urls_items")),
    path("", include("kaohe.supervision.urls_projects")),
]
