"""URLs of the supervision projects pages, under /supervision/…"""

from django.urls import path

from . import views_projects as v

urlpatterns: list = [
    path("projects/", v.project_list, name="supervision_projects"),
    path("projects/new/", v.project_new, name="supervision_project_new"),
    path("projects/<int:pk>/", v.project_detail, name="supervision_project"),
    path("projects/<int:pk>/quarter/<int:quarter>/", v.project_quarter, name="supervision_project_quarter"),
    path("bulletin/<int:year>/<int:quarter>/", v.bulletin, name="supervision_bulletin"),
    path("bulletin/<int:year>/<int:quarter>/pdf/", v.bulletin_pdf, name="supervision_bulletin_pdf"),
    path("livelihood/", v.livelihood_list, name="supervision_livelihood"),
    path("livelihood/new/", v.livelihood_new, name="supervision_livelihood_new"),
    path("livelihood/<int:pk>/funds/", v.livelihood_funds, name="supervision_livelihood_funds"),
    path("livelihood/export/", v.livelihood_export, name="supervision_livelihood_export"),
    path("plan/", v.plan, name="supervision_plan"),
    path("plan/set/", v.plan_set, name="supervision_plan_set"),
    path("plan/inspections/new/", v.inspection_new, name="supervision_inspection_new"),
]
