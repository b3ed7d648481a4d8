from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "kaohe.register"
    verbose_name = "加减分登记"
