from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "kaohe.organisation"
    verbose_name = "组织机构"
