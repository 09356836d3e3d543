from django.db import models


class BriefingStatus(models.TextChoices):
    """月报状态: a draft is edited; a finalised briefing (定稿) never changes."""

    DRAFT = "draft", "草稿"
    FINAL = "final", "定稿"


class Joiner(models.TextChoices):
    """How a sentence links to the next (与下一句的连接)."""

    SEMICOLON = "；", "分号（；）"
    LIST = "、", "顿号（、，同列并共享排名时写作“均为全市第一”）"
    COMMA = "，", "逗号（，）"
