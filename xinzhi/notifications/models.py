"""消息提醒: one user's notifications and their per-kind choices.

A notification belongs to its recipient only (not jurisdiction-scoped); its link leads to the
object's own page, which applies the recipient's *current* scope (a stale link answers 404).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from xinzhi.notifications.choices import Kind


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    # What the notification is about, e.g. "assignment:12" or "lead:5:2026-12-02": a reminder
    # sent again with the same key is not created twice (send_reminders is idempotent).
    key = models.CharField("去重键", max_length=120)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="uniq_notification_key"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """Whether a user wants a kind in the inbox and/or by email (无记录 = 站内开、邮件关)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    in_app = models.BooleanField("站内消息", default=True)
    email = models.BooleanField("电子邮件", default=False)

    class Meta:
        verbose_name = "消息偏好"
        verbose_name_plural = "消息偏好"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="uniq_notification_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}"
