from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "xinzhi.briefings"
    label = "briefings"
    verbose_name = "统计报告"

    def ready(self) -> None:
        from xinzhi.briefings import jobs
        from xinzhi.briefings.reminders import briefing_items
        from xinzhi.notifications.services import register_reminder_source

        register_reminder_source(briefing_items)
        jobs.register()
