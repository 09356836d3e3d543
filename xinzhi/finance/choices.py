"""Choices of 科技金融: loan states, pool entries, voucher orders and institutions."""

from django.db import models


class LoanStatus(models.TextChoices):
    """贷款状态: 申请 → 审批通过/拒绝 → 已放款 → 已结清, or 逾期 → 已代偿."""

    APPLIED = "applied", "已申请"
    APPROVED = "approved", "审批通过"
    REFUSED = "refused", "银行拒绝"
    DISBURSED = "disbursed", "还款中"
    OVERDUE = "overdue", "逾期"
    SETTLED = "settled", "已结清"
    COMPENSATED = "compensated", "已代偿"


# Loans whose balance is still owed to the bank (counts toward the pool's 放大倍数).
OUTSTANDING_STATUSES = (LoanStatus.DISBURSED, LoanStatus.OVERDUE)


class PoolEntryKind(models.TextChoices):
    """资金池流水."""

    CAPITAL = "capital", "注资"
    COMPENSATION = "compensation", "代偿"
    RECOVERY = "recovery", "追偿回收"


class Region(models.TextChoices):
    """长三角 provinces of a service institution."""

    SHANGHAI = "shanghai", "上海"
    JIANGSU = "jiangsu", "江苏"
    ZHEJIANG = "zhejiang", "浙江"
    ANHUI = "anhui", "安徽"


class ServiceType(models.TextChoices):
    TESTING = "testing", "检验检测"
    RD_DESIGN = "rd_design", "研发设计"
    TECH_TRANSFER = "tech_transfer", "技术转移"
    IP = "ip", "知识产权"
    CONSULTING = "consulting", "科技咨询"
    INCUBATION = "incubation", "创业孵化"


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", "入驻"
    SUSPENDED = "suspended", "暂停"
    EXITED = "exited", "退出"


class OrderStatus(models.TextChoices):
    """双创券订单: 发起 → 有效 → 履约 → 验收 → 兑付, or 作废."""

    INITIATED = "initiated", "发起"
    EFFECTIVE = "effective", "有效"
    PERFORMING = "performing", "履约"
    ACCEPTED = "accepted", "验收"
    REDEEMED = "redeemed", "兑付"
    VOID = "void", "作废"


ORDER_NEXT = {
    OrderStatus.INITIATED: OrderStatus.EFFECTIVE,
    OrderStatus.EFFECTIVE: OrderStatus.PERFORMING,
    OrderStatus.PERFORMING: OrderStatus.ACCEPTED,
    OrderStatus.ACCEPTED: OrderStatus.REDEEMED,
}
# Orders that count as 有效订单 once made effective (作废 and 发起 do not).
EFFECTIVE_ORDER_STATUSES = (
    OrderStatus.EFFECTIVE,
    OrderStatus.PERFORMING,
    OrderStatus.ACCEPTED,
    OrderStatus.REDEEMED,
)


class RoundName(models.TextChoices):
    ANGEL = "angel", "天使轮"
    PRE_A = "pre_a", "Pre-A轮"
    A = "a", "A轮"
    A_PLUS = "a_plus", "A+轮"
    B = "b", "B轮"
    C = "c", "C轮"
    D = "d", "D轮及以后"
    STRATEGIC = "strategic", "战略融资"
    PRE_IPO = "pre_ipo", "Pre-IPO"
