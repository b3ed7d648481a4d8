from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "kaohe.indicators"
    verbose_name = "指标体系"
