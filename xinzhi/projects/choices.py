"""Choices of the 项目推进 app: key-project status, warning colours, 科技计划 levels and stages."""

from django.db import models


class ProjectStatus(models.TextChoices):
    """区重点项目 status (项目状态), kept by the officer; the colour is derived, never typed."""

    PREPARING = "preparing", "前期推进"
    BUILDING = "building", "在建"
    COMPLETED = "completed", "已竣工"
    OPERATING = "operating", "已投产"
    SUSPENDED = "suspended", "暂缓"


# Statuses whose projects file a monthly report (月报); a running plant reports no more.
REPORTING_STATUSES = (ProjectStatus.PREPARING, ProjectStatus.BUILDING, ProjectStatus.COMPLETED)


class Signal(models.TextChoices):
    """Red/amber/green (红黄绿灯): late milestone → red; monthly report missing → amber."""

    RED = "red", "红灯（节点滞后）"
    AMBER = "amber", "黄灯（月报未报）"
    GREEN = "green", "绿灯（正常）"


SIGNAL_SHORT = {Signal.RED: "滞后", Signal.AMBER: "缺报", Signal.GREEN: "正常"}


class IssueStatus(models.TextChoices):
    OPEN = "open", "协调中"
    CLOSED = "closed", "已办结"


class Level(models.TextChoices):
    """科技计划项目 level (项目级别)."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"


class FundedStage(models.TextChoices):
    """Where a 科技计划项目 stands: 立项 → 中期检查 → 验收 (通过 / 不通过 / 延期)."""

    APPROVED = "approved", "已立项（在研）"
    MIDTERM = "midterm", "已中期检查"
    ACCEPTED = "accepted", "验收通过"
    REJECTED = "rejected", "验收不通过"
    POSTPONED = "postponed", "延期验收"


class MidtermResult(models.TextChoices):
    PASSED = "passed", "通过"
    RECTIFY = "rectify", "限期整改"


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"
    POSTPONED = "postponed", "延期"


ACCEPTANCE_STAGE = {
    AcceptanceResult.PASSED: FundedStage.ACCEPTED,
    AcceptanceResult.FAILED: FundedStage.REJECTED,
    AcceptanceResult.POSTPONED: FundedStage.POSTPONED,
}

# Milestone codes other apps read (开工, 竣工 …) whatever a project type names them.
MILESTONE_START = "start"
MILESTONE_COMPLETION = "completion"
MILESTONE_PRODUCTION = "production"

# The default project types and their milestones (data: admins edit them in 系统配置).
DEFAULT_TYPES = (
    (
        "industrial",
        "产业项目",
        (
            ("approval", "立项"),
            ("land", "拿地"),
            (MILESTONE_START, "开工"),
            ("topping", "主体封顶"),
            (MILESTONE_COMPLETION, "竣工"),
            (MILESTONE_PRODUCTION, "投产"),
            ("full", "达产"),
        ),
    ),
    (
        "expansion",
        "技改扩能项目",
        (
            ("approval", "立项"),
            (MILESTONE_START, "开工"),
            (MILESTONE_COMPLETION, "竣工"),
            (MILESTONE_PRODUCTION, "投产"),
            ("full", "达产"),
        ),
    ),
    (
        "platform",
        "科创载体项目",
        (
            ("approval", "立项"),
            ("land", "拿地"),
            (MILESTONE_START, "开工"),
            ("topping", "主体封顶"),
            (MILESTONE_COMPLETION, "竣工"),
            (MILESTONE_PRODUCTION, "投用"),
        ),
    ),
)
