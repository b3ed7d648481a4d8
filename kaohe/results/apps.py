from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kaohe.results"
    verbose_name = "考核结果"
