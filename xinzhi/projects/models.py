"""Models of 项目推进: 区重点项目 with milestones, monthly reports and coordination problems,
and funded 科技计划项目 with their stages.

Money is in 万元 (Decimal), areas in 亩 and 平方米. A key project's red/amber/green colour and
its days late are derived in `delays.py` from the milestones and reports, never stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from xinzhi.core.limits import DecimalField, LimitedNumbersMixin
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.enterprises.models import NON_NEGATIVE, money
from xinzhi.projects.choices import (
    AcceptanceResult,
    FundedStage,
    IssueStatus,
    Level,
    MidtermResult,
    ProjectStatus,
)

PROJECT_SCOPE = Scope(jurisdiction="project__jurisdiction", enterprise="project__enterprise_id")


def _amount(verbose_name: str, *, digits: int = 12, help_text: str = "") -> DecimalField:
    return DecimalField(
        verbose_name,
        max_digits=digits,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text=help_text,
    )


class ProjectType(LimitedNumbersMixin):
    """A key-project type (项目类型) with its own milestone sequence, edited as data."""

    order = models.PositiveSmallIntegerField("顺序", default=0)
    code = models.SlugField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "重点项目类型"
        verbose_name_plural = "重点项目类型"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class MilestoneKind(LimitedNumbersMixin):
    """One milestone of a project type (节点: 立项, 拿地, 开工, 主体封顶, 竣工, 投产, 达产)."""

    project_type = models.ForeignKey(
        ProjectType, verbose_name="项目类型", on_delete=models.CASCADE, related_name="milestones"
    )
    order = models.PositiveSmallIntegerField("顺序")
    code = models.SlugField("编码", max_length=30)
    name = models.CharField("名称", max_length=20)

    class Meta:
        verbose_name = "节点类型"
        verbose_name_plural = "节点类型"
        ordering = ["project_type", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project_type", "code"], name="milestone_kind_code"),
            models.UniqueConstraint(fields=["project_type", "order"], name="milestone_kind_order"),
        ]

    def __str__(self) -> str:
        return self.name


class WarningSettings(LimitedNumbersMixin):
    """Thresholds of the delay warnings (预警阈值), one row; defaults when none is saved."""

    report_due_day = models.PositiveSmallIntegerField(
        "月报截止日",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="每月几日前须报送上月月报；逾期未报亮黄灯",
    )
    late_grace_days = models.PositiveSmallIntegerField(
        "节点宽限天数",
        default=0,
        validators=[MaxValueValidator(365)],
        help_text="节点超过计划日期多少天仍未完成即亮红灯（0 表示过期即红灯）",
    )

    class Meta:
        verbose_name = "项目预警阈值"
        verbose_name_plural = "项目预警阈值"

    def __str__(self) -> str:
        return f"月报{self.report_due_day}日截止，节点宽限{self.late_grace_days}天"

    @classmethod
    def current(cls) -> WarningSettings:
        return cls.objects.order_by("id").first() or cls()


class KeyProject(ScopedModel, TimeStampedModel):
    """A key construction project (区重点项目)."""

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="enterprise_id")

    name = models.CharField("项目名称", max_length=120)
    project_type = models.ForeignKey(
        ProjectType, verbose_name="项目类型", on_delete=models.PROTECT, related_name="projects"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="建设单位（企业库）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_projects",
    )
    owner_name = models.CharField(
        "建设单位名称", max_length=120, blank=True, help_text="建设单位尚未入企业库时填写"
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所属板块",
        on_delete=models.PROTECT,
        related_name="key_projects",
    )
    industry = models.CharField("产业链/行业", max_length=40, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(
        "列入年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    total_investment = money("总投资（万元）", null=False)
    land_area = _amount("用地面积（亩）", digits=10)
    building_area = _amount("建筑面积（平方米）", digits=14)
    capacity_text = models.CharField("达产后产能", max_length=300, blank=True)
    capacity_value = _amount("产能数值", digits=16)
    capacity_unit = models.CharField("产能单位", max_length=20, blank=True)
    plan_year = models.PositiveSmallIntegerField(
        "计划年度",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    annual_plan = money("年度计划投资（万元）")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_projects",
    )
    status = models.CharField(
        "项目状态",
        max_length=12,
        choices=ProjectStatus.choices,
        default=ProjectStatus.BUILDING,
        db_index=True,
    )
    reports_from = models.DateField(
        "月报起始月份", help_text="从该月起须按月报送（月初日期）；此前月份不计缺报"
    )
    summary = models.TextField("项目概况", blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "区重点项目"
        verbose_name_plural = "区重点项目"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["jurisdiction", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def owner_label(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.owner_name


class Milestone(ScopedModel):
    """A project's milestone (建设节点) with its planned and actual dates."""

    SCOPE = PROJECT_SCOPE

    project = models.ForeignKey(
        KeyProject, verbose_name="重点项目", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.ForeignKey(
        MilestoneKind, verbose_name="节点", on_delete=models.PROTECT, related_name="+"
    )
    planned_on = models.DateField("计划日期", null=True, blank=True)
    actual_on = models.DateField("实际日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "建设节点"
        verbose_name_plural = "建设节点"
        ordering = ["project", "kind__order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="milestone_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project}·{self.kind}"

    def days_late(self, today: dt.date | None = None) -> int:
        """Days behind plan: completed late, or still open past its planned date."""
        if self.planned_on is None:
            return 0
        end = self.actual_on or today or timezone.localdate()
        return max((end - self.planned_on).days, 0)

    @property
    def is_done(self) -> bool:
        return self.actual_on is not None


class MonthlyReport(ScopedModel, TimeStampedModel):
    """A monthly progress report (月报) of a key project."""

    SCOPE = PROJECT_SCOPE

    project = models.ForeignKey(
        KeyProject, verbose_name="重点项目", on_delete=models.CASCADE, related_name="reports"
    )
    month = models.DateField("月份", help_text="该月1日")
    invested_month = money("当月完成投资（万元）", null=False)
    invested_total = money("累计完成投资（万元）", null=False)
    progress = models.TextField("形象进度")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "项目月报"
        verbose_name_plural = "项目月报"
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="report_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y年%m月}月报"


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"projects/{instance.report.project_id}/{instance.report.month:%Y%m}/{filename}"


class ReportPhoto(ScopedModel):
    """A site photo attached to a monthly report (现场照片)."""

    SCOPE = Scope(
        jurisdiction="report__project__jurisdiction", enterprise="report__project__enterprise_id"
    )

    report = models.ForeignKey(
        MonthlyReport, verbose_name="月报", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField("照片", upload_to=photo_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class CoordinationIssue(ScopedModel, TimeStampedModel):
    """A problem needing coordination (需协调问题) with the unit that owns it and its closure."""

    SCOPE = PROJECT_SCOPE

    project = models.ForeignKey(
        KeyProject, verbose_name="重点项目", on_delete=models.CASCADE, related_name="issues"
    )
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name="提出月报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issues",
    )
    description = models.CharField("问题描述", max_length=500)
    owner = models.CharField("责任单位（人）", max_length=60)
    raised_on = models.DateField("提出日期")
    due_on = models.DateField("要求办结日期", null=True, blank=True)
    status = models.CharField(
        "办理状态", max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    resolution = models.CharField("办理结果", max_length=500, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "需协调问题"
        verbose_name_plural = "需协调问题"
        ordering = ["status", "due_on", "-raised_on", "id"]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == IssueStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class FundedProject(ScopedModel, TimeStampedModel):
    """A funded science and technology project (科技计划项目): 立项 → 中期检查 → 验收."""

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="enterprise_id")

    name = models.CharField("项目名称", max_length=150)
    level = models.CharField("项目级别", max_length=12, choices=Level.choices, db_index=True)
    programme = models.CharField(
        "计划类别", max_length=80, help_text="如 常州市重点研发计划（产业前瞻与关键核心技术）"
    )
    year = models.PositiveSmallIntegerField(
        "立项年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    code = models.CharField("项目编号/立项文号", max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="承担单位",
        on_delete=models.PROTECT,
        related_name="funded_projects",
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所属板块",
        on_delete=models.PROTECT,
        related_name="funded_projects",
    )
    partners = models.TextField("合作单位", blank=True, help_text="高校、院所等，每行一个")
    budget_total = money("总预算（万元）", null=False)
    funding_grant = money("财政资助（万元）", null=False)
    funding_self = money("自筹（万元）", null=False)
    funds_disbursed = money("已拨付资助（万元）", null=False)
    starts_on = models.DateField("实施开始")
    ends_on = models.DateField("实施结束")
    approved_on = models.DateField("立项日期")
    stage = models.CharField(
        "项目阶段",
        max_length=12,
        choices=FundedStage.choices,
        default=FundedStage.APPROVED,
        db_index=True,
    )
    midterm_on = models.DateField("中期检查日期", null=True, blank=True)
    midterm_result = models.CharField(
        "中期检查结论", max_length=10, choices=MidtermResult.choices, blank=True
    )
    midterm_note = models.CharField("中期检查意见/文件", max_length=300, blank=True)
    acceptance_on = models.DateField("验收日期", null=True, blank=True)
    acceptance_result = models.CharField(
        "验收结论", max_length=10, choices=AcceptanceResult.choices, blank=True, db_index=True
    )
    acceptance_note = models.CharField("验收意见/文件", max_length=300, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funded_projects",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "科技计划项目"
        verbose_name_plural = "科技计划项目"
        ordering = ["-year", "name", "id"]
        indexes = [models.Index(fields=["jurisdiction", "level", "year"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:funded_detail", args=[self.pk])

    @property
    def partner_list(self) -> list[str]:
        return [p.strip() for p in self.partners.splitlines() if p.strip()]

    @property
    def disbursed_ratio(self) -> Decimal | None:
        if not self.funding_grant:
            return None
        return (self.funds_disbursed / self.funding_grant * 100).quantize(Decimal("0.1"))

    @property
    def is_accepted(self) -> bool:
        """验收通过 — what the rewards rules read."""
        return self.acceptance_result == AcceptanceResult.PASSED
