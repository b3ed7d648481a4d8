"""URLs of the register (加减分 / 一票否决), under /cycles/<cycle>/register/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:cycle>/register/", views.register_list, name="register_list"),
    path("<int:cycle>/register/export.xlsx", views.register_export, name="register_export"),
    path("<int:cycle>/register/apply/", views.register_apply, name="register_apply"),
    path("<int:cycle>/register/<int:pk>/", views.register_detail, name="register_detail"),
    path("<int:cycle>/register/<int:pk>/experts/", views.register_expert_score, name="register_expert_score"),
    path("<int:cycle>/register/<int:pk>/decide/", views.register_decide, name="register_decide"),
    path("<int:cycle>/register/<int:pk>/withdraw/", views.register_withdraw, name="register_withdraw"),
]
