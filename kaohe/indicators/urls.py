from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.cycle_create, name="cycle_create"),
    path("<int:cycle>/", views.cycle_detail, name="cycle_detail"),
    path("<int:cycle>/copy/", views.cycle_copy, name="cycle_copy"),
    path("<int:cycle>/phases/", views.cycle_phases, name="cycle_phases"),
    path("<int:cycle>/units/", views.cycle_units, name="cycle_units"),
    path("<int:cycle>/settings/", views.cycle_settings, name="cycle_settings"),
    path("<int:cycle>/indicators/", views.indicator_tree, name="indicator_tree"),
    path("<int:cycle>/indicators/add/", views.indicator_add, name="indicator_add"),
    path("<int:cycle>/indicators/params/", views.indicator_params, name="indicator_params"),
    path("<int:cycle>/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("<int:cycle>/indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("<int:cycle>/import/", views.cycle_import, name="cycle_import"),
    path("<int:cycle>/export.xlsx", views.cycle_export, name="cycle_export"),
    path("<int:cycle>/values/", views.value_index, name="value_index"),
    path("<int:cycle>/values/<int:pk>/", views.value_grid, name="value_grid"),
    path("<int:cycle>/values/<int:pk>/export.xlsx", views.value_grid_export, name="value_grid_export"),
    path("<int:cycle>/mine/", views.my_unit, name="my_unit"),
]
