"""Choices of the industry-chain map (产业链位置、链上角色、招商目标状态 …)."""

from django.db import models


class Position(models.TextChoices):
    """Where a node sits in the chain (上游/中游/下游)."""

    UPSTREAM = "upstream", "上游"
    MIDSTREAM = "midstream", "中游"
    DOWNSTREAM = "downstream", "下游"


class MemberRole(models.TextChoices):
    """An enterprise's role on a node (链上角色)."""

    CHAIN_LEADER = "leader", "链主"
    CORE = "core", "核心配套"
    GENERAL = "general", "一般配套"
    FUNCTIONAL = "functional", "功能性机构"


# 链主 and 核心配套 are the chain's core enterprises (核心企业集聚度).
CORE_ROLES = (MemberRole.CHAIN_LEADER, MemberRole.CORE)


class FunctionKind(models.TextChoices):
    """What a functional institution does ("微笑曲线"两端的功能性机构)."""

    RD_DESIGN = "rd_design", "研发设计"
    TESTING = "testing", "检验检测"
    SALES = "sales", "销售管理"
    REGIONAL_HQ = "regional_hq", "区域总部"


class TargetSource(models.TextChoices):
    """Where an attraction target came from (目标来源)."""

    LEADER_SUPPLIER = "leader_supplier", "链主外地供应商"
    RESEARCH = "research", "产业链研究"
    REFERRAL = "referral", "以商招商推荐"
    EVENT = "event", "展会论坛"
    OTHER = "other", "其他"


class TargetStatus(models.TextChoices):
    """Progress of a target (招商目标状态); 已转线索 once a lead carries it."""

    OPEN = "open", "待接洽"
    CONVERTED = "converted", "已转招商项目"
    SHELVED = "shelved", "暂缓"


class Presence(models.TextChoices):
    """Local presence on a node (本地布局), computed from the records."""

    MISSING = "missing", "缺链"
    WEAK = "weak", "弱链"
    PRESENT = "present", "已布局"


class MetricKey(models.TextChoices):
    """The four "三度一率" figures."""

    CONCENTRATION = "concentration", "核心企业集聚度"
    COMPLETENESS = "completeness", "产业链完整度"
    VALUE_ADDED = "value_added", "增加值贡献度"
    LOCAL_SUPPLY = "local_supply", "本地化配套率"
