"""Half-year problems (整改), under /cycles/<cycle>/problems/…"""

from django.urls import path

from . import problem_views as views

urlpatterns = [
    path("<int:cycle>/problems/", views.problem_list, name="problem_list"),
    path("<int:cycle>/problems/export.xlsx", views.problem_export, name="problem_export"),
    path("<int:cycle>/problems/template.xlsx", views.problem_template, name="problem_template"),
    path("<int:cycle>/problems/new/", views.problem_new, name="problem_new"),
    path("<int:cycle>/problems/import/", views.problem_import, name="problem_import"),
    path("<int:cycle>/problems/send/", views.problem_send, name="problem_send"),
    path("<int:cycle>/problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("<int:cycle>/problems/<int:pk>/answer/", views.problem_answer, name="problem_answer"),
    path("<int:cycle>/problems/<int:pk>/close/", views.problem_close, name="problem_close"),
    path("<int:cycle>/problems/<int:pk>/reopen/", views.problem_reopen, name="problem_reopen"),
]
