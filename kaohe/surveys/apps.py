from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kaohe.surveys"
    verbose_name = _("满意度测评")
    default_auto_field = "django.db.models.BigAutoField"
