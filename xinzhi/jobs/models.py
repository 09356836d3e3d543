"""Background jobs the user can see (后台任务): one row per import, export or re-evaluation."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    """One unit of long work run by the task worker, with its progress and outcome."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"
        CANCELLED = "cancelled", "已取消"

    FINISHED = (State.SUCCEEDED, State.FAILED, State.CANCELLED)

    kind = models.CharField("类型", max_length=40)
    # Null for work the system starts itself (e.g. re-evaluation after an import).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    state = models.CharField("状态", max_length=12, choices=State, default=State.QUEUED)
    params = models.JSONField("参数", default=dict, blank=True)
    done = models.PositiveIntegerField("已处理行数", default=0)
    total = models.PositiveIntegerField("总行数", default=0)
    step = models.CharField("当前步骤", max_length=40, blank=True)
    # Set by "取消"; the task stops at its next checkpoint. `committing` is set by the task
    # just before it writes: from then on a cancel request is refused (see services).
    cancel_requested = models.BooleanField("已请求取消", default=False)
    committing = models.BooleanField("正在写入", default=False)
    summary = models.JSONField("结果摘要", default=dict, blank=True)
    error = models.TextField("错误信息", blank=True)
    link = models.CharField("相关页面", max_length=500, blank=True)
    task_id = models.CharField("任务队列编号", max_length=64, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind_label} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("jobs:detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        from xinzhi.jobs.registry import kind_label

        return kind_label(self.kind)

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def cancellable(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING) and not self.committing


class JobFile(models.Model):
    """A job's uploaded input or produced result, kept in the database so that a worker on
    any machine can read it (no shared file system needed between web and workers)."""

    class Purpose(models.TextChoices):
        INPUT = "input", "上传文件"
        RESULT = "result", "结果文件"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField("用途", max_length=8, choices=Purpose)
    name = models.CharField("文件名", max_length=200)
    digest = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("字节数")
    data = models.BinaryField("内容")

    class Meta:
        verbose_name = "任务文件"
        verbose_name_plural = "任务文件"
        constraints = [
            models.UniqueConstraint(fields=["job", "purpose"], name="jobs_one_file_per_purpose")
        ]
