from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "xinzhi.notifications"
    label = "notifications"
    verbose_name = "消息提醒"
