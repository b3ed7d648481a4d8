from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "kaohe.ratings"
    verbose_name = "四位一体评议"
