"""Choices of the innovation ecosystem (载体类型、级别、大赛奖项、上市板块与阶段 …)."""

from django.db import models


class CarrierKind(models.TextChoices):
    """Kinds of innovation carrier and platform (创新载体类型)."""

    UNIVERSITY = "university", "高校院所"
    NEW_RD = "new_rd", "新型研发机构"
    TRANSFER = "transfer", "技术转移中心"
    INCUBATOR = "incubator", "孵化器"
    MAKERSPACE = "makerspace", "众创空间"
    ACCELERATOR = "accelerator", "加速器"
    POSTDOC = "postdoc", "博士后工作站"
    RD_CENTRE = "rd_centre", "省级以上研发机构"
    SMART_WORKSHOP = "smart_workshop", "智能车间"
    CONSORTIUM = "consortium", "创新联合体"


# Kinds whose delivery is enterprises hosted (孵化) rather than projects pushed.
INCUBATING_KINDS = (CarrierKind.INCUBATOR, CarrierKind.MAKERSPACE, CarrierKind.ACCELERATOR)


class CarrierLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"


class SpellOutcome(models.TextChoices):
    """Where an incubation spell stands (在孵 / 毕业 / 退出)."""

    IN = "in", "在孵"
    GRADUATED = "graduated", "已毕业"
    LEFT = "left", "已退出"


class MemberRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    MEMBER = "member", "成员单位"


class MemberKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    OTHER = "other", "其他"


class TaskStatus(models.TextChoices):
    """揭榜挂帅 task life cycle: 发榜 → 揭榜 → 攻关 → 验收 → 完成 (or 终止)."""

    PUBLISHED = "published", "已发榜"
    TAKEN = "taken", "已揭榜"
    ONGOING = "ongoing", "攻关中"
    ACCEPTANCE = "acceptance", "待验收"
    DONE = "done", "已完成"
    STOPPED = "stopped", "已终止"


TASK_ORDER = [s.value for s in TaskStatus if s != TaskStatus.STOPPED]


class CompetitionLevel(models.TextChoices):
    """Organiser level of a competition (主办层级)."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "区级"


class Award(models.TextChoices):
    """Result of an entry (奖项); `none` is 未获奖, `pending` 待公布."""

    PENDING = "pending", "待公布"
    FIRST = "first", "一等奖"
    SECOND = "second", "二等奖"
    THIRD = "third", "三等奖"
    EXCELLENCE = "excellence", "优秀奖"
    FINALIST = "finalist", "入围决赛"
    NONE = "none", "未获奖"


# Results that count as 获奖 in the bureau's statistics.
AWARDED = (Award.FIRST, Award.SECOND, Award.THIRD, Award.EXCELLENCE)


class Board(models.TextChoices):
    """Target board of a listing candidate (拟上市板块)."""

    MAIN = "main", "主板"
    STAR = "star", "科创板"
    CHINEXT = "chinext", "创业板"
    BSE = "bse", "北交所"
    NEEQ = "neeq", "新三板"
    OVERSEAS = "overseas", "境外"


class ListingStage(models.TextChoices):
    """上市后备 stages: 入库 → 股改 → 辅导备案 → 申报受理 → 审核问询 → 注册 → 上市（挂牌）."""

    RESERVE = "reserve", "入库"
    RESTRUCTURED = "restructured", "股改"
    TUTORING = "tutoring", "辅导备案"
    FILED = "filed", "申报受理"
    REVIEW = "review", "审核/问询"
    REGISTERED = "registered", "注册"
    LISTED = "listed", "上市/挂牌"


LISTING_ORDER = [s.value for s in ListingStage]
