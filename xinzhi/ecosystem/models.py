"""Models of the innovation ecosystem (创新生态): carriers and what they deliver, innovation
consortia and 揭榜挂帅 tasks, competitions and their entries, and the listing reserve."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.ecosystem.choices import (
    Award,
    Board,
    CarrierKind,
    CarrierLevel,
    CompetitionLevel,
    ListingStage,
    MemberKind,
    MemberRole,
    SpellOutcome,
    TaskStatus,
)
from xinzhi.enterprises.models import money


class Carrier(TimeStampedModel):
    """An innovation carrier or platform (创新载体): district reference data every officer reads;
    the enterprise-level figures it delivers follow the viewer's 板块."""

    name = models.CharField("载体名称", max_length=120, unique=True)
    kind = models.CharField("载体类型", max_length=20, choices=CarrierKind.choices, db_index=True)
    level = models.CharField("级别", max_length=20, choices=CarrierLevel.choices, blank=True)
    host = models.CharField("依托/运营单位", max_length=120, blank=True)
    host_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="依托企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carriers_hosted",
        help_text="依托企业建设的载体（如博士后工作站、智能车间）请关联企业库中的企业",
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所在板块",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carriers",
        help_text="留空表示全区共建",
    )
    established_on = models.DateField("成立日期", null=True, blank=True)
    recognised_on = models.DateField("认定日期", null=True, blank=True)
    focus = models.CharField("重点领域", max_length=120, blank=True)
    summary = models.TextField("简介", blank=True)
    is_active = models.BooleanField("运行中", default=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "创新载体"
        verbose_name_plural = "创新载体"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ecosystem:carrier_detail", args=[self.pk])


class CarrierPush(ScopedModel):
    """A 招商 lead whose source is a carrier (载体推送项目): the link that makes "推送科技项目14个"
    a count of records, each with its pipeline stage."""

    SCOPE = Scope(jurisdiction="lead__jurisdiction", enterprise="lead__enterprise_id")

    carrier = models.ForeignKey(
        Carrier, verbose_name="推送载体", on_delete=models.PROTECT, related_name="pushes"
    )
    lead = models.OneToOneField(
        "attraction.Lead",
        verbose_name="招商项目",
        on_delete=models.CASCADE,
        related_name="carrier_push",
    )
    pushed_on = models.DateField("推送日期")
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "载体推送项目"
        verbose_name_plural = "载体推送项目"
        ordering = ["-pushed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.carrier} → {self.lead}"


class IncubationSpell(ScopedModel, TimeStampedModel):
    """An enterprise's time in an incubator, makerspace or accelerator (在孵记录)."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    carrier = models.ForeignKey(
        Carrier, verbose_name="孵化载体", on_delete=models.PROTECT, related_name="spells"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="incubation_spells",
    )
    entered_on = models.DateField("入孵日期")
    left_on = models.DateField("毕业/退出日期", null=True, blank=True)
    outcome = models.CharField(
        "状态", max_length=10, choices=SpellOutcome.choices, default=SpellOutcome.IN
    )
    note = models.CharField("说明", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "在孵记录"
        verbose_name_plural = "在孵记录"
        ordering = ["-entered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "enterprise"],
                condition=models.Q(outcome="in"),
                name="ecosystem_one_open_spell",
                violation_error_message="该企业已在此载体在孵。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} @ {self.carrier}"


class ConsortiumMember(TimeStampedModel):
    """A member of an innovation consortium (创新联合体成员单位)."""

    carrier = models.ForeignKey(
        Carrier, verbose_name="创新联合体", on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField("单位名称", max_length=120)
    member_kind = models.CharField("单位类型", max_length=20, choices=MemberKind.choices)
    role = models.CharField(
        "角色", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="关联企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consortium_memberships",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "联合体成员"
        verbose_name_plural = "联合体成员"
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "name"],
                name="ecosystem_member_once",
                violation_error_message="该单位已是联合体成员。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ChallengeTask(TimeStampedModel):
    """A 揭榜挂帅 task: the challenge, its budget, the team that took it, its milestones."""

    carrier = models.ForeignKey(
        Carrier,
        verbose_name="所属创新联合体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField("榜单名称", max_length=120)
    challenge = models.TextField("攻关需求", help_text="要突破的“卡脖子”技术与考核指标")
    field = models.CharField("领域", max_length=40, blank=True, help_text="如关键材料、基础元器件")
    issuer = models.CharField("发榜单位", max_length=120)
    budget = money("榜单金额（万元）")
    team = models.CharField("揭榜团队", max_length=200, blank=True)
    team_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="揭榜企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenge_tasks",
    )
    status = models.CharField(
        "状态", max_length=20, choices=TaskStatus.choices, default=TaskStatus.PUBLISHED
    )
    published_on = models.DateField("发榜日期")
    taken_on = models.DateField("揭榜日期", null=True, blank=True)
    due_on = models.DateField("计划完成日期", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "揭榜挂帅榜单"
        verbose_name_plural = "揭榜挂帅榜单"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ecosystem:task_detail", args=[self.pk])


class TaskMilestone(TimeStampedModel):
    """A milestone of a 揭榜挂帅 task, planned vs done (节点)."""

    task = models.ForeignKey(
        ChallengeTask, verbose_name="榜单", on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField("节点", max_length=120)
    planned_on = models.DateField("计划日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "榜单节点"
        verbose_name_plural = "榜单节点"
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_late(self) -> bool:
        return self.done_on is None and self.planned_on < timezone.localdate()


class Competition(TimeStampedModel):
    """One edition of an innovation competition (创新创业大赛), with the organiser's figures."""

    name = models.CharField("大赛名称", max_length=120)
    edition = models.CharField("届次", max_length=40, blank=True, help_text="如“第十二届”")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    level = models.CharField("主办层级", max_length=20, choices=CompetitionLevel.choices)
    organiser = models.CharField("主办单位", max_length=120, blank=True)
    held_on = models.DateField("决赛日期", null=True, blank=True)
    registered_total = models.PositiveIntegerField(
        "报名项目总数", null=True, blank=True, help_text="主办方公布的全部报名项目数"
    )
    city_rank = models.PositiveSmallIntegerField(
        "获奖数全市排名", null=True, blank=True, help_text="按主办方公布结果录入，如 1 表示全市第一"
    )
    city_rank_note = models.CharField("排名说明", max_length=200, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "创新创业大赛"
        verbose_name_plural = "创新创业大赛"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "year"],
                name="ecosystem_competition_once_a_year",
                violation_error_message="该大赛本年度已登记。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition}{self.name}" if self.edition else f"{self.year}年{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("ecosystem:competition_detail", args=[self.pk])


class CompetitionEntry(ScopedModel, TimeStampedModel):
    """An entry in a competition (参赛项目): from an enterprise on record, or from a team not yet
    registered here (a competition is an attraction channel; such a team may become a lead)."""

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="enterprise_id")

    competition = models.ForeignKey(
        Competition, verbose_name="大赛", on_delete=models.PROTECT, related_name="entries"
    )
    track = models.CharField("赛道/行业赛", max_length=40, blank=True, db_index=True)
    project_name = models.CharField("参赛项目", max_length=120)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="参赛企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competition_entries",
    )
    team_name = models.CharField(
        "团队/单位名称", max_length=120, blank=True, help_text="尚未在本区注册的团队填写此项"
    )
    team_leader = models.CharField("负责人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    source_region = models.CharField("团队来源地", max_length=40, blank=True)
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="对接板块",
        on_delete=models.PROTECT,
        related_name="competition_entries",
    )
    award = models.CharField(
        "奖项", max_length=20, choices=Award.choices, default=Award.PENDING, db_index=True
    )
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    result_note = models.CharField(
        "成绩说明", max_length=200, blank=True, help_text="如“1204个报名项目中全场总分第一”"
    )
    lead = models.OneToOneField(
        "attraction.Lead",
        verbose_name="转化的招商项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="competition_entry",
    )
    entered_on = models.DateField("报名日期", default=dt.date.today)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "参赛项目"
        verbose_name_plural = "参赛项目"
        ordering = ["competition", "rank", "-id"]
        indexes = [models.Index(fields=["jurisdiction", "award"])]

    def __str__(self) -> str:
        return self.project_name

    def get_absolute_url(self) -> str:
        return reverse("ecosystem:entry_detail", args=[self.pk])

    @property
    def entrant(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.team_name

    @property
    def is_outside(self) -> bool:
        """A team not yet on the enterprise record: a candidate 招商 lead."""
        return self.enterprise_id is None


class ListingCandidate(ScopedModel, TimeStampedModel):
    """An enterprise on the way to listing (上市后备企业): board, stage, intermediaries, issues."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="listing",
    )
    board = models.CharField("拟上市板块", max_length=20, choices=Board.choices)
    stage = models.CharField(
        "所处阶段",
        max_length=20,
        choices=ListingStage.choices,
        default=ListingStage.RESERVE,
        db_index=True,
    )
    stage_entered_on = models.DateField("进入本阶段日期", default=dt.date.today)
    entered_on = models.DateField("入库日期", default=dt.date.today)
    broker = models.CharField("保荐/主办券商", max_length=80, blank=True)
    accountant = models.CharField("会计师事务所", max_length=80, blank=True)
    law_firm = models.CharField("律师事务所", max_length=80, blank=True)
    issues = models.TextField("需协调事项", blank=True)
    listed_on = models.DateField("上市/挂牌日期", null=True, blank=True)
    stock_code = models.CharField("证券代码", max_length=20, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="服务专员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "上市后备企业"
        verbose_name_plural = "上市后备企业"
        ordering = ["-stage_entered_on", "-id"]

    def __str__(self) -> str:
        return str(self.enterprise)

    def get_absolute_url(self) -> str:
        return reverse("ecosystem:listing_detail", args=[self.pk])

    @property
    def stage_label(self) -> str:
        """上市 or 挂牌 at the top, by board (新三板 is 挂牌)."""
        if self.stage == ListingStage.LISTED:
            return "已挂牌" if self.board == Board.NEEQ else "已上市"
        return self.get_stage_display()


class ListingStageChange(ScopedModel):
    """One stage move of a listing candidate (阶段变更记录)."""

    SCOPE = Scope(
        jurisdiction="candidate__enterprise__jurisdiction", enterprise="candidate__enterprise_id"
    )

    candidate = models.ForeignKey(
        ListingCandidate,
        verbose_name="上市后备企业",
        on_delete=models.CASCADE,
        related_name="changes",
    )
    from_stage = models.CharField("原阶段", max_length=20, choices=ListingStage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=ListingStage.choices)
    changed_on = models.DateField("变更日期")
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "上市阶段变更"
        verbose_name_plural = "上市阶段变更"
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.candidate}：{self.get_to_stage_display()}"
