from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xinzhi.dashboards"
    label = "dashboards"
    verbose_name = "目标考核与统计"
