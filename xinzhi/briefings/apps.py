from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "xinzhi.briefings"
    label = "briefings"
    verbose_name = "统计报告"
