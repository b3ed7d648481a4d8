"""Analysis lives under its cycle: /cycles/<cycle>/analysis/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:cycle>/analysis/", views.analysis_index, name="analysis_index"),
    path("<int:cycle>/analysis/indicators/", views.analysis_indicators, name="analysis_indicators"),
    path("<int:cycle>/analysis/indicators.xlsx", views.analysis_indicators_xlsx, name="analysis_indicators_xlsx"),
    path("<int:cycle>/analysis/domains/", views.analysis_domains, name="analysis_domains"),
    path("<int:cycle>/analysis/domains.xlsx", views.analysis_domains_xlsx, name="analysis_domains_xlsx"),
    path("<int:cycle>/analysis/people/", views.analysis_people, name="analysis_people"),
    path("<int:cycle>/analysis/people.xlsx", views.analysis_people_xlsx, name="analysis_people_xlsx"),
    path("<int:cycle>/analysis/units/<int:unit>/", views.analysis_unit, name="analysis_unit"),
    path("<int:cycle>/analysis/units/<int:unit>/export.xlsx", views.analysis_unit_xlsx, name="analysis_unit_xlsx"),
]
