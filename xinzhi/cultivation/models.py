from __future__ import annotations

from django.conf import settings
from django.db import models

from xinzhi import eligibility
from xinzhi.core.limits import DecimalField
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.cultivation.choices import LadderStage, Readiness, Verdict, fact_label
from xinzhi.enterprises.models import money


class QualificationProfile(ScopedModel, TimeStampedModel):
    """Qualification facts beyond the figures (认定要素): credit, honours, funding, niche.

    Every field is optional: an unknown fact sends the check that needs it to manual review.
    """

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")
    YES_NO = [(True, "是"), (False, "否")]

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="qualification",
    )
    resident = models.BooleanField("境内注册居民企业", null=True, blank=True, choices=YES_NO)
    prohibited_industry = models.BooleanField(
        "属国家禁止/限制/淘汰类", null=True, blank=True, choices=YES_NO
    )
    major_incident = models.BooleanField(
        "近年发生重大安全/质量/环境事故", null=True, blank=True, choices=YES_NO
    )
    serious_dishonesty = models.BooleanField(
        "列入经营异常名录或严重失信名单", null=True, blank=True, choices=YES_NO
    )
    has_core_ip = models.BooleanField(
        "拥有核心支持作用的知识产权", null=True, blank=True, choices=YES_NO
    )
    conversions_3y = models.PositiveIntegerField("近三年科技成果转化数", null=True, blank=True)
    rd_institution_level = models.CharField(
        "研发机构级别",
        max_length=20,
        blank=True,
        choices=[
            ("national", "国家级"),
            ("provincial", "省部级"),
            ("municipal", "市级"),
            ("below_municipal", "市级以下"),
            ("none", "无"),
        ],
    )
    national_award_top3_5y = models.BooleanField(
        "近5年国家级科技奖励（前三）", null=True, blank=True, choices=YES_NO
    )
    led_standard_5y = models.BooleanField(
        "近5年主导制定国际/国家/行业标准", null=True, blank=True, choices=YES_NO
    )
    has_institutional_investment = models.BooleanField(
        "获得专业机构投资", null=True, blank=True, choices=YES_NO
    )
    valuation_cny_wan = money("最近一轮投后估值（万元人民币）")
    valuation_usd_m = DecimalField(
        "最近一轮投后估值（百万美元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    financing_usd_m = DecimalField(
        "累计融资（百万美元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    niche_years = models.PositiveSmallIntegerField("深耕细分市场年限", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "认定要素"
        verbose_name_plural = "认定要素"

    def __str__(self) -> str:
        return f"{self.enterprise} 认定要素"


class CultivationTrack(ScopedModel, TimeStampedModel):
    """Where an enterprise stands on the ladder for one title (培育梯队阶段)."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="tracks",
    )
    family = models.CharField("资质", max_length=30)
    stage = models.CharField("阶段", max_length=20, choices=LadderStage.choices)
    stage_since = models.DateField("进入阶段日期")
    note = models.CharField("说明", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "培育阶段"
        verbose_name_plural = "培育阶段"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "family"], name="uniq_track"),
        ]
        indexes = [models.Index(fields=["family", "stage"])]

    def __str__(self) -> str:
        from xinzhi.eligibility import families

        name = families().get(self.family, self.family)
        return f"{self.enterprise} · {name} · {self.get_stage_display()}"


class TrackChange(ScopedModel):
    """One move of a track between stages, with who moved it and why (阶段变更记录)."""

    SCOPE = Scope(jurisdiction="track__enterprise__jurisdiction", enterprise="track__enterprise_id")

    track = models.ForeignKey(CultivationTrack, on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField("原阶段", max_length=20, choices=LadderStage.choices, blank=True)
    to_stage = models.CharField("新阶段", max_length=20, choices=LadderStage.choices)
    changed_on = models.DateField("日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "阶段变更"
        verbose_name_plural = "阶段变更"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.track}: {self.from_stage} → {self.to_stage}"


def policy_name(policy_id: str) -> str:
    """A rule set's Chinese name, which carries its version (文号).

    hnte-2016 → 高新技术企业认定（国科发火〔2016〕32号）; the id itself if the rule set is gone.
    """
    policy = eligibility.load_policies().get(policy_id)
    return policy.name if policy is not None else policy_id


class Evaluation(ScopedModel):
    """Stored eligibility verdict of one enterprise under one policy (资格评估结果)."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="evaluations",
        # The unique (enterprise, policy_id) index serves lookups by enterprise; a second index
        # would only slow `xinzhi reevaluate`, which rewrites 1.1M rows at 100k enterprises.
        db_index=False,
    )
    policy_id = models.CharField("政策", max_length=40)
    family = models.CharField("资质", max_length=30)
    verdict = models.CharField("结论", max_length=12, choices=Verdict.choices)
    readiness = models.CharField(
        "申报准备", max_length=12, choices=Readiness.choices, default=Readiness.INELIGIBLE
    )
    # Decisive facts absent (engine paths such as "financials[2025].rd_expense", comma-joined):
    # why a possible verdict is 数据不全 rather than 待核实.
    missing = models.TextField("缺失数据", blank=True, default="")
    # The row that speaks for the enterprise under its title when two rule sets apply (独角兽:
    # GEI and Jiangsu): the best readiness, then the smallest gap. Lists and counts read it.
    is_primary = models.BooleanField("代表结论", default=True)
    score_min = models.SmallIntegerField("最低得分", null=True)
    score_max = models.SmallIntegerField("最高得分", null=True)
    score_pass = models.SmallIntegerField("及格线", null=True)
    # Points still missing in the worst case; 0 when the minimum already reaches the pass line.
    score_gap = models.SmallIntegerField("分差", null=True)
    as_of = models.DateField("评估基准日")
    evaluated_at = models.DateTimeField("评估时间")

    class Meta:
        verbose_name = "资格评估"
        verbose_name_plural = "资格评估"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "policy_id"], name="uniq_evaluation"),
        ]
        indexes = [
            # The candidate list's filter and its gap order to the last key, so a page walks the
            # index from its start and stops after 50 rows; the funnel counts read its first
            # three columns.
            models.Index(
                fields=[
                    "family",
                    "is_primary",
                    "readiness",
                    "score_gap",
                    "-score_max",
                    "enterprise",
                ],
                name="cultivation_candidates_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.policy_id} {self.verdict}"

    @property
    def missing_list(self) -> list[str]:
        return [path for path in self.missing.split(",") if path]

    @property
    def missing_labels(self) -> list[str]:
        """The missing facts in Chinese, e.g. “2025年研发费用”."""
        return [fact_label(path) for path in self.missing_list]

    @property
    def policy_name(self) -> str:
        """The rule set's Chinese name, which carries its version (文号), for pages and exports."""
        return policy_name(self.policy_id)
