from django.db import models


class Role(models.TextChoices):
    """User roles (角色)."""

    ADMIN = "admin", "区管理员"
    OFFICER = "officer", "板块专员"
    REVIEWER = "reviewer", "评审专家"
    LEADER = "leader", "领导"
    ENTERPRISE = "enterprise", "企业用户"


class JurisdictionKind(models.TextChoices):
    """Kinds of administrative unit (区 → 板块)."""

    DISTRICT = "district", "区"
    PARK = "park", "园区"
    TOWN = "town", "镇"
    SUBDISTRICT = "subdistrict", "街道"
