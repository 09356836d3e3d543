import json
from typing import Any

from django.conf import settings
from django.db import models

from xinzhi.core.limits import LimitedNumbersMixin
from xinzhi.core.scoping import Scope, ScopedManager, ScopedModel


class TimeStampedModel(LimitedNumbersMixin):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class JSONTextField(models.JSONField):
    """JSON kept as compact text on every database (on PostgreSQL `text`, not `jsonb`).

    The audit log only stores and shows its changes, it never queries inside them; jsonb took
    about twice the bytes of the same JSON as text (an entry header per key and value, a
    numeric per amount), which made the log the largest table after a big import.
    """

    def db_type(self, connection: Any) -> str:
        return "text"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if hasattr(value, "as_sql"):
            return value
        return json.dumps(value, cls=self.encoder, ensure_ascii=False, separators=(",", ":"))


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003, ANN201
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):  # noqa: ANN201
        raise PermissionError("审计日志只能追加，不能删除。")


class AuditScopedManager(ScopedManager.from_queryset(AuditEventQuerySet)):
    pass


class AuditEvent(ScopedModel):
    """Append-only audit log entry (操作审计): who changed what, when, before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        IMPORT = "import", "导入"
        STAGE = "stage", "阶段变更"
        LOGIN = "login", "登录"
        OTHER = "other", "其他"

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="enterprise_id")

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=255)
    # The enterprise whose timeline shows this event, and the jurisdiction that scopes it.
    enterprise_id = models.BigIntegerField("所属企业", null=True, blank=True, db_index=True)
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所属板块",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changes = JSONTextField("变更内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    objects = AuditScopedManager()
    all_objects = models.Manager.from_queryset(AuditEventQuerySet)()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-created_at", "-id"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise PermissionError("审计日志只能追加，不能删除。")


class AggregateVersion(models.Model):
    """Version of one kind of data that cached page counts read (统计缓存版本).

    Services bump a topic's version after they commit a change; a cached count stored under an
    older version is never read again (xinzhi/core/aggregates.py).
    """

    topic = models.CharField("数据类别", max_length=40, primary_key=True)
    version = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "统计缓存版本"
        verbose_name_plural = "统计缓存版本"

    def __str__(self) -> str:
        return f"{self.topic} v{self.version}"
