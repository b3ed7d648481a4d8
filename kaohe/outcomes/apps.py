from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "kaohe.outcomes"
    verbose_name = "结果运用"
