from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "kaohe.analysis"
    verbose_name = "考核分析"
