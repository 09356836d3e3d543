"""Models of the 科技招商 pipeline: stages, leads (招商项目), their history, dockings,
aftercare requests and talent referrals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from xinzhi.attraction.choices import (
    AftercareStatus,
    AftercareType,
    Channel,
    DockingForm,
    LeadStatus,
    LostReason,
    ReferralStatus,
    ScaleStage,
    TalentProgramme,
)
from xinzhi.core.limits import LimitedNumbersMixin
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.enterprises.models import money

LEAD_SCOPE = Scope(jurisdiction="lead__jurisdiction", enterprise="lead__enterprise_id")


class Stage(LimitedNumbersMixin):
    """A pipeline stage (招商阶段: 线索 → 对接 → 洽谈 → 签约 → 落地注册 → 投产), edited as data."""

    order = models.PositiveSmallIntegerField("顺序", unique=True)
    code = models.SlugField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    stale_after_days = models.PositiveIntegerField(
        "停滞预警天数",
        null=True,
        blank=True,
        help_text="在该阶段超过此天数无任何动态即提示停滞；留空表示不预警",
    )
    may_skip = models.BooleanField(
        "可跳过", default=False, help_text="勾选后，项目可越过该阶段直接进入后续阶段"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "招商阶段"
        verbose_name_plural = "招商阶段"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Lead(ScopedModel, TimeStampedModel):
    """A technology investment-attraction lead or project (招商项目)."""

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="enterprise_id")

    name = models.CharField("项目名称", max_length=120)
    summary = models.TextField("项目简介", blank=True)
    source_region = models.CharField("来源地区", max_length=40, blank=True, db_index=True)
    channel = models.CharField("招商渠道", max_length=20, choices=Channel.choices, blank=True)
    segment = models.CharField("产业链/细分领域", max_length=40, blank=True, db_index=True)
    scale_stage = models.CharField(
        "规模阶段", max_length=10, choices=ScaleStage.choices, blank=True
    )
    planned_investment = money("计划投资额")
    team_leader = models.CharField("团队负责人", max_length=60, blank=True)
    team_background = models.TextField("团队背景", blank=True)
    tech_strength = models.TextField("技术实力", blank=True)
    market_strength = models.TextField("市场实力", blank=True)
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attraction_leads",
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所属板块",
        on_delete=models.PROTECT,
        related_name="attraction_leads",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="落地企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attraction_leads",
    )
    stage = models.ForeignKey(
        Stage, verbose_name="阶段", on_delete=models.PROTECT, related_name="leads"
    )
    stage_entered_on = models.DateField("进入本阶段日期", default=dt.date.today)
    last_activity_on = models.DateField("最近动态日期", default=dt.date.today, db_index=True)
    next_follow_up_on = models.DateField("下次跟进日期", null=True, blank=True, db_index=True)
    docking_count = models.PositiveIntegerField("对接次数", default=0, editable=False)
    status = models.CharField(
        "项目状态", max_length=10, choices=LeadStatus.choices, default=LeadStatus.ACTIVE
    )
    lost_reason = models.CharField(
        "流失原因", max_length=20, choices=LostReason.choices, blank=True
    )
    lost_note = models.CharField("流失说明", max_length=300, blank=True)
    lost_on = models.DateField("流失日期", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "招商项目"
        verbose_name_plural = "招商项目"
        ordering = ["-last_activity_on", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "stage"]),
            models.Index(fields=["officer", "next_follow_up_on"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("attraction:lead_detail", args=[self.pk])

    @property
    def days_in_stage(self) -> int:
        return (timezone.localdate() - self.stage_entered_on).days

    @property
    def idle_days(self) -> int:
        return (timezone.localdate() - self.last_activity_on).days

    @property
    def is_stale(self) -> bool:
        """No activity for longer than the stage's 停滞预警天数."""
        limit = self.stage.stale_after_days
        return self.status == LeadStatus.ACTIVE and limit is not None and self.idle_days > limit

    @property
    def overdue_days(self) -> int:
        if self.next_follow_up_on is None:
            return 0
        return max((timezone.localdate() - self.next_follow_up_on).days, 0)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == LeadStatus.ACTIVE
            and self.next_follow_up_on is not None
            and self.next_follow_up_on < timezone.localdate()
        )


class StageChange(ScopedModel):
    """One stage move of a lead (阶段变更记录): when, by whom, why, and time spent before."""

    SCOPE = LEAD_SCOPE

    lead = models.ForeignKey(
        Lead, verbose_name="招商项目", on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage,
        verbose_name="原阶段",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name="新阶段", on_delete=models.PROTECT, related_name="+"
    )
    changed_on = models.DateField("变更日期")
    days_in_previous = models.PositiveIntegerField("原阶段停留天数", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "阶段变更记录"
        verbose_name_plural = "阶段变更记录"
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        origin = self.from_stage.name if self.from_stage_id else "新建"
        return f"{self.lead}：{origin} → {self.to_stage.name}"


class Docking(ScopedModel, TimeStampedModel):
    """A docking contact with a lead (对接记录)."""

    SCOPE = LEAD_SCOPE

    lead = models.ForeignKey(
        Lead, verbose_name="招商项目", on_delete=models.CASCADE, related_name="dockings"
    )
    held_on = models.DateField("对接日期")
    form = models.CharField("对接形式", max_length=20, choices=DockingForm.choices)
    participants = models.CharField("参与人员", max_length=300, blank=True)
    notes = models.TextField("对接内容", blank=True)
    next_step = models.CharField("下一步工作", max_length=300, blank=True)
    next_follow_up_on = models.DateField("下次跟进日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "对接记录"
        verbose_name_plural = "对接记录"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.lead} {self.held_on:%Y-%m-%d} {self.get_form_display()}"


class AftercareRequest(ScopedModel, TimeStampedModel):
    """A service request from a landed enterprise (全生命周期服务诉求)."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="aftercare_requests",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name="招商项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aftercare_requests",
    )
    kind = models.CharField("诉求类型", max_length=20, choices=AftercareType.choices)
    title = models.CharField("诉求事项", max_length=120)
    description = models.TextField("诉求内容", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "办理状态", max_length=20, choices=AftercareStatus.choices, default=AftercareStatus.OPEN
    )
    submitted_at = models.DateTimeField("提出时间", default=timezone.now)
    first_response_at = models.DateTimeField("首次响应时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolution = models.TextField("办理结果", blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "服务诉求"
        verbose_name_plural = "服务诉求"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise}：{self.title}"

    @staticmethod
    def _hours(start: dt.datetime, end: dt.datetime | None) -> float | None:
        return None if end is None else round((end - start).total_seconds() / 3600, 1)

    @property
    def hours_to_first_response(self) -> float | None:
        return self._hours(self.submitted_at, self.first_response_at)

    @property
    def days_to_close(self) -> float | None:
        hours = self._hours(self.submitted_at, self.closed_at)
        return None if hours is None else round(hours / 24, 1)


class TalentReferral(ScopedModel, TimeStampedModel):
    """A talent project pushed to a talent programme (人才项目推送: 推送 → 入选 → 落地)."""

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="enterprise_id")

    project_name = models.CharField("项目名称", max_length=120)
    talent_name = models.CharField("人才姓名", max_length=60, blank=True)
    programme = models.CharField("人才计划", max_length=20, choices=TalentProgramme.choices)
    batch = models.CharField("批次", max_length=40, blank=True, help_text="如“第十七批”")
    source = models.CharField("推送来源", max_length=60, help_text="如“科创帮”")
    status = models.CharField(
        "状态", max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PUSHED
    )
    pushed_on = models.DateField("推送日期")
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所属板块",
        on_delete=models.PROTECT,
        related_name="talent_referrals",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name="招商项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_referrals",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="落地企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_referrals",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "人才项目推送"
        verbose_name_plural = "人才项目推送"
        ordering = ["-pushed_on", "-id"]

    def __str__(self) -> str:
        return self.project_name
