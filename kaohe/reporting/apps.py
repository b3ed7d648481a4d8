from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "kaohe.reporting"
    verbose_name = "目标完成填报"
