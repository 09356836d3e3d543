"""Call engine (项目申报与评审): calls, categories, rubric, applications, reviewers, scores."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from xinzhi.calls.choices import (
    Aggregation,
    ApplicationStatus,
    AssignmentMethod,
    CallKind,
    ConflictReason,
    Stage,
)
from xinzhi.core.limits import DecimalField, LimitedNumbersMixin
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel

NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="金额不能为负数")]


def yuan(verbose_name: str) -> DecimalField:
    """An amount in 元 (not 万元), two decimals."""
    return DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
        help_text="元",
    )


def plain(value: Decimal | None) -> str:
    """100.00 → '100', 62.50 → '62.5' (for labels and messages)."""
    if value is None:
        return ""
    return format(
        value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize(), "f"
    )


class Call(TimeStampedModel):
    """A call for applications (申报通知/批次), e.g. 2024年度区科技项目认定.

    Calls are not district data: every logged-in user may read them. Applications are scoped.
    """

    name = models.CharField("名称", max_length=120)
    kind = models.CharField("类别", max_length=20, choices=CallKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    description = models.TextField("申报说明", blank=True)
    opens_at = models.DateTimeField("申报开始时间")
    closes_at = models.DateTimeField("申报截止时间")
    stages = models.JSONField(
        "启用的阶段", default=list, help_text="申报与立项/认定总是启用；其余阶段可关闭"
    )
    stage = models.CharField("当前阶段", max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    reviewers_per_application = models.PositiveSmallIntegerField(
        "每项评审专家数", default=3, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    aggregation = models.CharField(
        "汇总方式", max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    certificate_prefix = models.CharField(
        "证书编号前缀", max_length=30, blank=True, help_text="项目认定的证书编号，如 WJRD2024-"
    )
    results_published_at = models.DateTimeField("结果公示时间", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "申报通知"
        verbose_name_plural = "申报通知"
        ordering = ["-year", "-opens_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", args=[self.pk])

    @property
    def is_certification(self) -> bool:
        """认定 calls decide with a certificate number; the others with a grant amount."""
        return self.kind == CallKind.CERTIFICATION

    @property
    def approved_label(self) -> str:
        return "已认定" if self.is_certification else "已立项"

    def stage_enabled(self, stage: str) -> bool:
        return stage in (Stage.DRAFT, Stage.SUBMISSION, Stage.FINAL) or stage in self.stages


class Category(LimitedNumbersMixin):
    """A category of a call (申报类别) with its own cap and required fields."""

    call = models.ForeignKey(
        Call, verbose_name="申报通知", on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField("类别名称", max_length=60)
    description = models.TextField("支持方向", blank=True)
    cap_yuan = yuan("资助上限（元）")
    required_fields = models.JSONField("必填字段", default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "申报类别"
        verbose_name_plural = "申报类别"
        ordering = ["call", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="uniq_category_name",
                violation_error_message="同一申报通知下类别名称不能重复。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def required_labels(self) -> list[str]:
        from xinzhi.calls.choices import APPLICATION_FIELDS

        return [
            APPLICATION_FIELDS[k].label for k in self.required_fields if k in APPLICATION_FIELDS
        ]


class Criterion(LimitedNumbersMixin):
    """One weighted rubric criterion (评分指标), scored 0 to `max_score`."""

    call = models.ForeignKey(
        Call, verbose_name="申报通知", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField("指标", max_length=40)
    weight = DecimalField(
        "权重（%）", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    max_score = DecimalField("满分", max_digits=6, decimal_places=2, default=Decimal(100))
    min_score = DecimalField("最低门槛分", max_digits=6, decimal_places=2, null=True, blank=True)
    descriptor = models.TextField("评分说明", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "评分指标"
        verbose_name_plural = "评分指标"
        ordering = ["call", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{plain(self.weight)}%）"


class Application(ScopedModel, TimeStampedModel):
    """One application to a call (项目申报书), from an enterprise or a 招商 project."""

    SCOPE = Scope(
        jurisdiction="applicant_jurisdiction",
        enterprise="enterprise_id",
        reviewer="assignments__reviewer",
    )

    call = models.ForeignKey(
        Call, verbose_name="申报通知", on_delete=models.PROTECT, related_name="applications"
    )
    category = models.ForeignKey(
        Category, verbose_name="申报类别", on_delete=models.PROTECT, related_name="applications"
    )
    number = models.CharField("申报编号", max_length=30)
    title = models.CharField("项目名称", max_length=120)
    summary = models.TextField("项目简介", blank=True)
    field = models.CharField("专业领域", max_length=60, blank=True, help_text="用于匹配评审专家")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="申报企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_applications",
    )
    lead = models.ForeignKey(
        "attraction.Lead",
        verbose_name="招商项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_applications",
    )
    applicant_name = models.CharField("申报单位", max_length=120)
    applicant_jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所属板块",
        on_delete=models.PROTECT,
        related_name="+",
    )
    extra = models.JSONField("类别字段", default=dict, blank=True)
    requested_amount_yuan = yuan("申请金额（元）")
    status = models.CharField(
        "状态", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    formal_note = models.CharField("形式审查意见", max_length=300, blank=True)
    aggregate_score = DecimalField(
        "综合得分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    scores_count = models.PositiveSmallIntegerField("已评分专家数", default=0)
    below_threshold = models.BooleanField("存在未达门槛指标", default=False)
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)
    grant_amount_yuan = yuan("资助金额（元）")
    decision_note = models.CharField("决定意见", max_length=300, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    created_by = models.ForeignKey(
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
        verbose_name = "项目申报"
        verbose_name_plural = "项目申报"
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "number"],
                name="uniq_application_number",
                violation_error_message="申报编号重复。",
            ),
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~models.Q(certificate_no=""),
                name="uniq_certificate_no",
                violation_error_message="证书编号已被使用。",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["call", "aggregate_score"]),
            models.Index(fields=["applicant_jurisdiction", "call"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("calls:application", args=[self.pk])

    @property
    def status_label(self) -> str:
        """通过 reads 已认定 for certification calls and 已立项 for the others."""
        if self.status == ApplicationStatus.APPROVED:
            return self.call.approved_label
        return self.get_status_display()

    @property
    def is_active(self) -> bool:
        return self.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)

    def extra_items(self) -> list[tuple[str, Any]]:
        from xinzhi.calls.choices import APPLICATION_FIELDS

        return [
            (APPLICATION_FIELDS[k].label if k in APPLICATION_FIELDS else k, v)
            for k, v in self.extra.items()
        ]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"calls/{instance.application.call_id}/{instance.application_id}/{filename}"


class Attachment(ScopedModel):
    """A file attached to an application (申报附件)."""

    SCOPE = Scope(
        jurisdiction="application__applicant_jurisdiction",
        enterprise="application__enterprise_id",
        reviewer="application__assignments__reviewer",
    )

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path)
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
        verbose_name = "申报附件"
        verbose_name_plural = "申报附件"
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ReviewerRelation(ScopedModel):
    """A relation a reviewer declared with an enterprise (利益关系声明), so they are avoided."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", reviewer="reviewer")

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审专家",
        on_delete=models.CASCADE,
        related_name="declared_relations",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="+",
    )
    relation = models.CharField("关系说明", max_length=120)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("声明时间", auto_now_add=True)

    class Meta:
        verbose_name = "利益关系声明"
        verbose_name_plural = "利益关系声明"
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "enterprise"],
                name="uniq_reviewer_relation",
                violation_error_message="该专家已声明与该企业的关系。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.enterprise}：{self.relation}"


class Assignment(ScopedModel):
    """A reviewer assigned to an application (评审任务)."""

    SCOPE = Scope(jurisdiction="application__applicant_jurisdiction", reviewer="reviewer")

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审专家",
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    method = models.CharField("分配方式", max_length=10, choices=AssignmentMethod.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分配人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    current_score = models.OneToOneField(
        "Score",
        verbose_name="当前有效评分",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A conflict declared after assignment withdraws it (回避撤回); the row stays as history.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=200, blank=True)
    # A re-score (重新评分) needs the bureau admin's approval of a request with a reason.
    rescore_reason = models.CharField("重新评分理由", max_length=500, blank=True)
    rescore_requested_at = models.DateTimeField("申请重新评分时间", null=True, blank=True)
    rescore_approved_at = models.DateTimeField("批准重新评分时间", null=True, blank=True)
    rescore_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "评审任务"
        verbose_name_plural = "评审任务"
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="uniq_assignment",
                violation_error_message="该专家已分配到此申报。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.number} · {self.reviewer}"

    def get_absolute_url(self) -> str:
        return reverse("calls:review", args=[self.pk])

    @property
    def is_scored(self) -> bool:
        return self.current_score_id is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def rescore_pending(self) -> bool:
        """Requested, not yet approved."""
        return self.rescore_requested_at is not None and self.rescore_approved_at is None

    @property
    def rescore_approved(self) -> bool:
        return self.rescore_approved_at is not None


class ConflictRecord(ScopedModel):
    """A reviewer skipped for an application and why (回避记录)."""

    SCOPE = Scope(jurisdiction="application__applicant_jurisdiction")

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="conflicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评审专家",
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField("回避事由", max_length=20, choices=ConflictReason.choices)
    detail = models.CharField("说明", max_length=200, blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "回避记录"
        verbose_name_plural = "回避记录"
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return f"{self.reviewer} 回避 {self.application.number}：{self.get_reason_display()}"


class Score(ScopedModel):
    """A submitted score (专家评分), frozen once saved; a re-score is a new version."""

    SCOPE = Scope(
        jurisdiction="assignment__application__applicant_jurisdiction",
        reviewer="assignment__reviewer",
    )

    assignment = models.ForeignKey(
        Assignment, verbose_name="评审任务", on_delete=models.CASCADE, related_name="scores"
    )
    version = models.PositiveSmallIntegerField("版本")
    items = models.JSONField("各指标得分", help_text="{指标编号: 得分}")
    total = DecimalField("加权总分", max_digits=6, decimal_places=2)
    comment = models.TextField("评审意见", blank=True)
    reason = models.CharField("重新评分理由", max_length=300, blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "专家评分"
        verbose_name_plural = "专家评分"
        ordering = ["assignment", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "version"],
                name="uniq_score_version",
                violation_error_message="该评分版本已存在。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} 第{self.version}版 {self.total}"

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionError("已提交的评分不能修改，请提交新版本。")
        super().save(*args, **kwargs)

    def item_score(self, criterion_id: int) -> Decimal | None:
        value = self.items.get(str(criterion_id))
        return Decimal(value) if value is not None else None
