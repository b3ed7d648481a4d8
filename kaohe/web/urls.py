"""URL map: one include per part of the cycle."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("kaohe.organisation.urls")),
    path("cycles/", include("kaohe.indicators.urls")),
    path("cycles/", include("kaohe.results.urls")),
    path("cycles/", include("kaohe.reporting.urls")),
    path("cycles/", include("kaohe.reporting.problem_urls")),
    path("cycles/", include("kaohe.ratings.urls")),
    path("cycles/", include("kaohe.register.urls")),
    path("files/", include("kaohe.reporting.files")),
    path("notices/", include("kaohe.web.notice_urls")),
    path("cycles/", include("kaohe.analysis.urls")),
    path("cycles/", include("kaohe.outcomes.urls")),
    path("supervision/", include("kaohe.supervision.urls")),
    path("cycles/", include("kaohe.surveys.urls_office")),
    path("cycles/", include("kaohe.surveys.urls_import")),
    path("cycles/", include("kaohe.surveys.urls_invitations")),
    path("s/", include("kaohe.surveys.urls_public")),
    path("audit/", include("kaohe.audit.urls")),
]
