from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "xinzhi.calls"
    label = "calls"
    verbose_name = "项目申报与评审"
