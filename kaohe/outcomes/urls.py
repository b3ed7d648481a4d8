"""结果运用 under its cycle: /cycles/<cycle>/outcomes/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:cycle>/outcomes/", views.outcome_list, name="outcome_list"),
    path("<int:cycle>/outcomes/export.xlsx", views.outcome_export, name="outcome_export"),
    path("<int:cycle>/outcomes/rules/", views.outcome_rules, name="outcome_rules"),
    path("<int:cycle>/outcomes/rules/save/", views.rule_save, name="rule_save"),
    path("<int:cycle>/outcomes/rules/<int:rule>/delete/", views.rule_delete, name="rule_delete"),
]
