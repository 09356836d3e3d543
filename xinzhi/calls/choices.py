"""Choices of the call engine (项目申报与评审)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class CallKind(models.TextChoices):
    """Kinds of call (申报类别)."""

    CERTIFICATION = "certification", "区科技项目认定"
    SCIENCE_ACADEMIC = "science_academic", "科普和学术项目"
    SCIENCE = "science", "科普项目"
    ACADEMIC = "academic", "学术交流项目"
    SOFT_SCIENCE = "soft_science", "软科学课题"
    OTHER = "other", "其他"


class Stage(models.TextChoices):
    """Stages of a call (申报 → 形式审查 → 专家评审 → 结果公示 → 立项/认定)."""

    DRAFT = "draft", "未发布"
    SUBMISSION = "submission", "申报"
    FORMAL_REVIEW = "formal_review", "形式审查"
    EXPERT_REVIEW = "expert_review", "专家评审"
    PUBLICITY = "publicity", "结果公示"
    FINAL = "final", "立项/认定"


STAGE_ORDER: tuple[str, ...] = (
    Stage.DRAFT,
    Stage.SUBMISSION,
    Stage.FORMAL_REVIEW,
    Stage.EXPERT_REVIEW,
    Stage.PUBLICITY,
    Stage.FINAL,
)
# Stages the bureau may switch off for a call; 申报 and 立项/认定 always happen.
OPTIONAL_STAGES: tuple[str, ...] = (Stage.FORMAL_REVIEW, Stage.EXPERT_REVIEW, Stage.PUBLICITY)


class ApplicationStatus(models.TextChoices):
    """Status of one application (申报状态)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    WITHDRAWN = "withdrawn", "已撤回"
    FORMAL_FAILED = "formal_failed", "形式审查未通过"
    IN_REVIEW = "in_review", "评审中"
    APPROVED = "approved", "通过"
    REJECTED = "rejected", "未通过"


# Statuses that are still in the running (may be reviewed, ranked and decided).
ACTIVE_STATUSES: tuple[str, ...] = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)


class Aggregation(models.TextChoices):
    """How reviewers' totals become one score (汇总方式)."""

    MEAN = "mean", "算术平均"
    TRIMMED_MEAN = "trimmed_mean", "去掉最高最低分后平均"


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", "手工指定"
    RANDOM = "random", "随机抽取"


class ConflictReason(models.TextChoices):
    """Why a reviewer was skipped for an application (回避事由)."""

    SAME_EMPLOYER = "same_employer", "与申报单位为同一单位"
    DECLARED_RELATION = "declared_relation", "已声明利益关系"
    OWN_APPLICATION = "own_application", "本人申报"


@dataclass(frozen=True)
class FieldDef:
    """One category-specific application field (申报表字段)."""

    key: str
    label: str
    kind: str = "text"  # text | textarea | int | date
    help_text: str = ""


APPLICATION_FIELDS: dict[str, FieldDef] = {
    f.key: f
    for f in (
        FieldDef("growth", "成长性说明", "textarea", "近三年营收、融资与市场拓展情况"),
        FieldDef("industry_fit", "产业匹配度说明", "textarea", "与武进重点产业链的关系"),
        FieldDef("team", "团队情况", "textarea", "核心团队的技术与市场背景"),
        FieldDef("technology", "技术先进性说明", "textarea", "核心技术、知识产权与国内外水平"),
        FieldDef("venue", "阵地名称及地址"),
        FieldDef("venue_area", "阵地面积（平方米）", "int"),
        FieldDef(
            "audience", "面向人群", help_text="青少年、农民、产业工人、老年人、领导干部和公务员"
        ),
        FieldDef("activity_date", "活动时间", "date"),
        FieldDef("participants", "预计受益人数", "int"),
        FieldDef("organiser", "主办单位（学会/企事业科协）"),
        FieldDef("topic", "研究课题名称"),
        FieldDef("municipal_no", "常州市软科学课题立项编号"),
        FieldDef("completion_date", "结项验收日期", "date"),
    )
}


@dataclass(frozen=True)
class CriterionDef:
    name: str
    weight: int
    descriptor: str
    min_score: int | None = None


# Default rubric for 区科技项目认定 (成长性, 产业匹配度, 团队匹配度, 技术先进性), each scored 0–100.
CERTIFICATION_CRITERIA: tuple[CriterionDef, ...] = (
    CriterionDef(
        "成长性", 30, "营收与融资增长、市场空间；90分以上为高成长，60分以下为成长不明", 60
    ),
    CriterionDef("产业匹配度", 25, "与武进重点产业链（新能源汽车、智能制造等）的契合程度", 60),
    CriterionDef("团队匹配度", 20, "团队是否既懂技术又懂市场，核心成员是否全职在武进", 50),
    CriterionDef("技术先进性", 25, "核心技术水平、自主知识产权、与国内外同类技术的比较", 60),
)
DEFAULT_CRITERIA: tuple[CriterionDef, ...] = (
    CriterionDef("目标与意义", 30, "是否契合年度重点支持方向"),
    CriterionDef("实施方案", 30, "内容、进度与组织保障是否可行"),
    CriterionDef("预期成效", 25, "受益面、影响力与可持续性"),
    CriterionDef("经费合理性", 15, "预算是否合理、配套是否落实"),
)
