from django.db import models


class PeriodType(models.TextChoices):
    """How often the indicator is reported (统计周期)."""

    YEAR = "year", "年"
    QUARTER = "quarter", "季"
    MONTH = "month", "月"


class Direction(models.TextChoices):
    """Whether more is better (正向指标) or less (逆向指标)."""

    UP = "up", "越大越好"
    DOWN = "down", "越小越好"


class TargetLevel(models.TextChoices):
    """Who set a target (目标层级)."""

    CITY = "city", "市目标"
    DISTRICT = "district", "区目标"
