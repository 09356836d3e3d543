from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "xinzhi.notifications"
    label = "notifications"
    verbose_name = "消息提醒"

    def ready(self) -> None:
        from xinzhi.core.selectors import register_todo_provider
        from xinzhi.notifications import jobs
        from xinzhi.notifications.services import todo_for

        register_todo_provider(todo_for)
        jobs.register()
