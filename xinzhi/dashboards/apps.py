from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xinzhi.dashboards"
    label = "dashboards"
    verbose_name = "目标考核与统计"

    def ready(self) -> None:
        from xinzhi.dashboards import jobs
        from xinzhi.dashboards.reminders import indicator_items
        from xinzhi.notifications.services import register_reminder_source

        register_reminder_source(indicator_items)
        jobs.register()
