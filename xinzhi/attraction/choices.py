"""Choices of the 科技招商 pipeline (招商渠道、规模阶段、流失原因、对接形式 …)."""

from django.db import models


class Channel(models.TextChoices):
    """How a lead reached the bureau (招商渠道)."""

    KECHUANGBANG = "kechuangbang", "科创帮"
    UNIVERSITY = "university", "高校技术转移"
    INSTITUTE = "institute", "科研院所"
    BUSINESS = "business", "以商引商"
    OFFICE = "office", "驻外招商"
    ROADSHOW = "roadshow", "路演活动"
    FAIR = "fair", "展会论坛"
    AGENCY = "agency", "中介机构"
    FUND = "fund", "基金招商"
    WALK_IN = "walk_in", "主动来访"


class ScaleStage(models.TextChoices):
    """Growth stage of the project (规模阶段: 1~10 / 10~100 / 100~∞)."""

    ONE_TEN = "1-10", "1~10"
    TEN_HUNDRED = "10-100", "10~100"
    HUNDRED_PLUS = "100+", "100~∞"


class LeadStatus(models.TextChoices):
    """Whether a lead is still being worked (项目状态)."""

    ACTIVE = "active", "推进中"
    DROPPED = "dropped", "已流失"


class LostReason(models.TextChoices):
    """Why a lead was dropped (流失原因)."""

    OTHER_REGION = "other_region", "落户其他地区"
    POLICY = "policy", "政策条件不匹配"
    SPACE = "space", "载体空间不满足"
    FUNDING = "funding", "资金未到位"
    TEAM = "team", "团队变动"
    TECH = "tech", "技术不成熟"
    NO_CONTACT = "no_contact", "长期失联"
    OTHER = "other", "其他"


class DockingForm(models.TextChoices):
    """Form of a docking contact (对接形式)."""

    VISIT = "visit", "实地走访"
    ONLINE = "online", "线上对接"
    ROADSHOW = "roadshow", "项目路演"
    MEETING = "meeting", "座谈洽谈"


class AftercareType(models.TextChoices):
    """Kinds of aftercare request (全生命周期服务诉求类型)."""

    PREMISES = "premises", "厂房"
    FINANCING = "financing", "融资"
    SUPPLY_CHAIN = "supply_chain", "供应链"
    TALENT = "talent", "人才"
    POLICY = "policy", "政策"
    APPROVAL = "approval", "审批帮办"


class AftercareStatus(models.TextChoices):
    """Progress of an aftercare request (办理状态)."""

    OPEN = "open", "待响应"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSED = "closed", "已办结"


class TalentProgramme(models.TextChoices):
    """Talent programmes a project can be pushed to (人才计划)."""

    LONGCHENG = "longcheng", "龙城英才计划"
    WUJIN = "wujin", "武进英才计划"
    JIANGSU = "jiangsu", "江苏省双创计划"
    OTHER = "other", "其他人才计划"


class ReferralStatus(models.TextChoices):
    """Status of a talent-project referral (推送 → 入选 → 落地)."""

    PUSHED = "pushed", "推送"
    SELECTED = "selected", "入选"
    LANDED = "landed", "落地"


# Stage codes the services rely on (the Stage rows themselves are data the admin edits).
STAGE_REGISTERED = "registered"  # 落地注册: reached only through the landing service
