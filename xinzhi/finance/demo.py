"""科技金融 demo: the seed's 1—9月 2024 figures exactly, earlier history, and live loans.

The seed (Wujin article, 2024): "1—9月，全区投放'武科贷'企业户数达71家，累计贷款金额1.8999亿元；
新增'惠科企'贷款企业49家，贷款金额2.8978亿元；'长三角双创券'共有62家机构入驻，发起有效订单20个，
跨区订单10个（跨区占比24%），订单合同总金额915万元，目前已兑付金额154.5万元" and 优磁科技 "即将完成
新一轮2800万元融资". The 2024 ledger keeps the seed's own dates, so the statistics page for
2024-01-01..2024-09-30 reads exactly those figures (24% is the cross-region share by amount:
219.6 of 915万元). Loans and orders after it are dated from the load day, so overdue loans,
open applications and running orders are always current. Borrowers are synthetic demo
enterprises; of the seed-named firms only 优磁科技 appears (its round, and one settled loan).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.enterprises.models import Enterprise
from xinzhi.finance import services
from xinzhi.finance.models import (
    Bank,
    EquityRound,
    GuaranteePool,
    Loan,
    LoanProduct,
    PoolEntry,
    Repayment,
    ServiceInstitution,
    VoucherGrant,
    VoucherOrder,
)

D = Decimal
YOUCI = "常州优磁科技有限公司"
SEED_START, SEED_END = dt.date(2024, 1, 1), dt.date(2024, 9, 30)
WUKEDAI_ENTERPRISES, WUKEDAI_LOANS, WUKEDAI_TOTAL = 71, 80, 18999
HUIKEQI_ENTERPRISES, HUIKEQI_TOTAL = 49, 28978
BANKS = (
    ("江南农村商业银行", "江南农商行"),
    ("中国银行常州武进支行", "中行武进支行"),
    ("江苏银行常州分行", "江苏银行"),
    ("南京银行常州分行", "南京银行"),
    ("交通银行常州分行", "交通银行"),
)
# 双创券: contract amounts (万元) of the 20 effective orders, local and cross-region.
LOCAL_CONTRACTS = (D(120), D("95.4"), D(88), D(76), D(70), D(65), D(58), D(50), D(42), D(31))
CROSS_CONTRACTS = (D("38.6"), D(32), D(28), D(25), D(22), D(20), D(18), D(15), D(12), D(9))
# Redeemed by 2024-09-30 (their 用券金额 add to 154.5万元).
REDEEMED = {D(120), D("95.4"), D(88), D(76), D(70), D("38.6"), D(32), D(15)}
CITIES = (
    ("shanghai", "上海市", 17),
    ("jiangsu", "常州市", 18),
    ("jiangsu", "苏州市", 7),
    ("jiangsu", "南京市", 5),
    ("jiangsu", "无锡市", 3),
    ("zhejiang", "杭州市", 6),
    ("zhejiang", "宁波市", 3),
    ("anhui", "合肥市", 5),
    ("anhui", "芜湖市", 1),
)
WORDS = (
    *("启元", "恒信", "博测", "智研", "华测", "鼎新", "科睿", "远景", "正衡", "瑞智"),
    *("聚能", "锐创", "合众", "天衡", "新域", "德信", "卓越", "中科", "优创", "明德"),
)
INVESTORS = ("区产业引导基金（示例）", "创投机构（示例）", "天使投资人（示例）")
SERVICES = {
    "testing": ("检测技术", "材料可靠性检测"),
    "rd_design": ("工业设计", "产品结构设计"),
    "tech_transfer": ("技术转移", "专利技术许可对接"),
    "ip": ("知识产权代理", "高价值专利布局"),
    "consulting": ("科技咨询", "研发管理体系咨询"),
    "incubation": ("孵化服务", "中试验证服务"),
}


def _split(rng: random.Random, total: int, parts: int, low: int, high: int) -> list[int]:
    """`parts` whole amounts in [low, high] adding exactly to `total`."""
    amounts = [rng.randint(low, high) for _ in range(parts)]
    diff = total - sum(amounts)
    i = 0
    while diff:
        step = 1 if diff > 0 else -1
        j = i % parts
        if low <= amounts[j] + step <= high:
            amounts[j] += step
            diff -= step
        i += 1
    return amounts


def _loan(enterprise: Enterprise, product: LoanProduct, bank: Bank, on: dt.date, amount: Decimal,
          rate: Decimal, today: dt.date, term: int = 12) -> Loan:  # fmt: skip
    """A demo loan disbursed on `on`; repaid at maturity when that is already past."""
    maturity = services.add_months(on, term)
    settled = maturity <= today
    return Loan(
        enterprise=enterprise,
        product=product,
        bank=bank,
        applied_on=on - dt.timedelta(days=18),
        amount_requested=amount,
        status="settled" if settled else "disbursed",
        decided_on=on - dt.timedelta(days=7),
        approved_amount=amount,
        disbursed_on=on,
        disbursed_amount=amount,
        term_months=term,
        rate=rate,
        maturity_on=maturity,
        balance=D(0) if settled else amount,
        repaid_amount=amount if settled else D(0),
        settled_on=maturity if settled else None,
        compensation_amount=D(0),
        recovered_amount=D(0),
        is_demo=True,
    )


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _after_seed(day: dt.date) -> dt.date:
    """Load-day-relative dates never fall into the seed's reporting window."""
    return max(day, SEED_END + dt.timedelta(days=1))


def _reference(today: dt.date) -> tuple[GuaranteePool, LoanProduct, LoanProduct, list[Bank]]:
    banks = [
        Bank.objects.get_or_create(name=name, defaults={"short_name": short})[0]
        for name, short in BANKS
    ]
    pool = GuaranteePool.objects.filter(name="武进区科技担保资金池").first()
    if pool is None:
        pool = services.pool_create(
            actor=None,
            name="武进区科技担保资金池",
            manager="区科技局（示例）",
            leverage_cap=D(10),
            is_demo=True,
        )
        for on, amount in ((dt.date(2022, 1, 10), 5000), (dt.date(2023, 1, 10), 3000),
                           (dt.date(2024, 1, 15), 2000)):  # fmt: skip
            entry = services.pool_capital_add(
                actor=None, pool=pool, amount=D(amount), on=on, note="区财政注资（示例）"
            )
            PoolEntry.objects.filter(pk=entry.pk).update(is_demo=True)
    wukedai = LoanProduct.objects.filter(code="wukedai").first() or services.product_create(
        actor=None,
        data={
            "code": "wukedai",
            "name": "武科贷",
            "pool": pool,
            "guarantor": "合作担保机构（示例）",
            "pool_share": D(40),
            "bank_share": D(30),
            "guarantor_share": D(30),
            "cap_per_enterprise": D(1000),
            "rate_cap": D("4.50"),
            "subsidy_rate": D(50),
            "subsidy_cap": D(20),
            "qualifying_titles": ["tech_sme", "hnte"],
            "is_demo": True,
        },
        banks=banks[:3],
    )
    huikeqi = LoanProduct.objects.filter(code="huikeqi").first() or services.product_create(
        actor=None,
        data={
            "code": "huikeqi",
            "name": "惠科企",
            "pool": pool,
            "guarantor": "",
            "pool_share": D(50),
            "bank_share": D(50),
            "guarantor_share": D(0),
            "cap_per_enterprise": D(1500),
            "rate_cap": D("4.00"),
            "qualifying_titles": [],
            "is_demo": True,
        },
        banks=banks,
    )
    return pool, wukedai, huikeqi, banks


def _loans(rng: random.Random, today: dt.date, pool: GuaranteePool, wukedai: LoanProduct,
           huikeqi: LoanProduct, banks: list[Bank], firms: list[Enterprise],
           youci: Enterprise | None) -> None:  # fmt: skip
    rate = lambda: D(rng.choice(("3.45", "3.65", "3.80", "3.95", "4.15")))  # noqa: E731
    wk = firms[:WUKEDAI_ENTERPRISES]
    if youci is not None:
        wk = [youci, *wk[: WUKEDAI_ENTERPRISES - 1]]
    hk = firms[WUKEDAI_ENTERPRISES : WUKEDAI_ENTERPRISES + HUIKEQI_ENTERPRISES]
    rest = firms[WUKEDAI_ENTERPRISES + HUIKEQI_ENTERPRISES :]
    loans: list[Loan] = []
    # Earlier history: 2023 武科贷 borrowers, 20 of whom borrow again in 2024 (not 新增).
    history = wk[-20:] + rest[:15]
    for firm in history:
        on = _day(rng, dt.date(2023, 1, 10), dt.date(2023, 12, 20))
        loans.append(_loan(firm, wukedai, rng.choice(banks[:3]), on, D(rng.randint(20, 60) * 10),
                           rate(), today))  # fmt: skip
    # 2024-01..09: 71 enterprises, 80 loans, 18,999万元 (9 enterprises borrow twice).
    amounts = _split(rng, WUKEDAI_TOTAL, WUKEDAI_LOANS, 100, 450)
    borrowers = wk + wk[:9]
    for firm, amount in zip(borrowers, amounts, strict=True):
        on = _day(rng, SEED_START, SEED_END)
        loans.append(_loan(firm, wukedai, rng.choice(banks[:3]), on, D(amount), rate(), today))
    for firm, amount in zip(hk, _split(rng, HUIKEQI_TOTAL, HUIKEQI_ENTERPRISES, 300, 1000),
                            strict=True):  # fmt: skip
        on = _day(rng, SEED_START, SEED_END)
        loans.append(_loan(firm, huikeqi, rng.choice(banks), on, D(amount), rate(), today))
    # Live book, dated from the load day: loans disbursed in the last eleven months.
    live = rest[15:45]
    for i, firm in enumerate(live):
        product = wukedai if i % 3 else huikeqi
        on = _after_seed(today - dt.timedelta(days=rng.randint(20, 330)))
        loans.append(_loan(firm, product, rng.choice(banks[:3]), on, D(rng.randint(20, 80) * 10),
                           rate(), today))  # fmt: skip
    Loan.objects.unscoped().bulk_create(loans)
    created = list(Loan.objects.unscoped().filter(is_demo=True).order_by("pk"))
    Repayment.objects.unscoped().bulk_create(
        Repayment(
            loan=loan,
            paid_on=loan.settled_on,
            amount=loan.disbursed_amount,
            source="银行台账",
            is_demo=True,
        )  # fmt: skip
        for loan in created
        if loan.status == "settled"
    )
    # Partial repayments on the live book, three overdue, one compensated and partly recovered.
    # The oldest running loans go overdue, so compensation and recovery have a history.
    running = sorted(
        (loan for loan in created if loan.status == "disbursed"),
        key=lambda loan: (loan.disbursed_on, loan.pk),
    )
    for loan in running[3:12]:
        paid = (loan.disbursed_amount * D("0.2")).quantize(D(1))
        day = min(today, loan.disbursed_on + dt.timedelta(days=90))
        if day > loan.disbursed_on:
            Repayment.objects.unscoped().create(
                loan=loan, paid_on=day, amount=paid, source="银行台账", is_demo=True
            )
            Loan.objects.unscoped().filter(pk=loan.pk).update(
                balance=loan.balance - paid, repaid_amount=paid
            )
    for loan in running[:3]:
        overdue = min(today, _after_seed(loan.disbursed_on + dt.timedelta(days=150)))
        Loan.objects.unscoped().filter(pk=loan.pk).update(status="overdue", overdue_on=overdue)
    first = Loan.objects.unscoped().select_related("product").get(pk=running[0].pk)
    compensated_on = min(today, first.overdue_on + dt.timedelta(days=30))
    share = (first.balance * first.product.pool_share / 100).quantize(D("0.01"))
    PoolEntry.objects.create(pool=pool, kind="compensation", on=compensated_on, amount=share,
                             loan=first, loan_balance=first.balance, is_demo=True,
                             note=f"{first.enterprise.name} {first.product.name}")  # fmt: skip
    recovered = (share * D("0.3")).quantize(D("0.01"))
    recovered_on = min(today, compensated_on + dt.timedelta(days=60))
    PoolEntry.objects.create(
        pool=pool,
        kind="recovery",
        on=recovered_on,
        amount=recovered,
        loan=first,
        is_demo=True,
        note="追偿回收（示例）",
    )
    Loan.objects.unscoped().filter(pk=first.pk).update(
        status="compensated",
        compensated_on=compensated_on,
        compensation_amount=share,
        recovered_amount=recovered,
    )
    # Open applications: one waiting for the bank, one approved, one refused.
    for i, (status, reason) in enumerate(
        (("applied", ""), ("approved", ""), ("refused", "近两年连续亏损，银行未予授信"))
    ):
        firm = rest[45 + i]
        Loan.objects.unscoped().create(
            enterprise=firm,
            product=wukedai if i != 1 else huikeqi,
            bank=banks[i],
            applied_on=today - dt.timedelta(days=12 - i * 3),
            amount_requested=D(300 + 100 * i),
            status=status,
            decided_on=None if status == "applied" else today - dt.timedelta(days=2),
            approved_amount=D(400) if status == "approved" else None,
            refusal_reason=reason,
            balance=D(0),
            repaid_amount=D(0),
            compensation_amount=D(0),
            recovered_amount=D(0),
            is_demo=True,
        )


def _institutions(rng: random.Random) -> list[ServiceInstitution]:
    rows, n = [], 0
    types = list(SERVICES)
    for region, city, count in CITIES:
        for _ in range(count):
            word = WORDS[n % len(WORDS)]
            kind = types[n % len(types)]
            second = types[(n + 2) % len(types)]
            rows.append(
                ServiceInstitution(
                    name=f"{city.removesuffix('市')}{word}{SERVICES[kind][0]}有限公司（示例）",
                    region=region,
                    city=city,
                    service_types=[kind, second] if n % 3 == 0 else [kind],
                    joined_on=_day(rng, dt.date(2022, 6, 1), dt.date(2024, 9, 1)),
                    is_demo=True,
                )
            )
            n += 1
    # 62 入驻 by 2024-09-30; one exited earlier, two joined later.
    rows[-1].status, rows[-1].exited_on = "exited", dt.date(2024, 5, 31)
    rows[-1].joined_on = dt.date(2022, 9, 1)
    for row in rows[-3:-1]:
        row.joined_on = dt.date(2025, 3, 1)
    ServiceInstitution.objects.bulk_create(rows)
    return list(ServiceInstitution.objects.filter(is_demo=True).order_by("pk"))


def _vouchers(rng: random.Random, today: dt.date, institutions: list[ServiceInstitution],
              firms: list[Enterprise]) -> None:  # fmt: skip
    active = [i for i in institutions if i.joined_on <= dt.date(2024, 1, 31)]
    local = [i for i in active if i.city == "常州市"]
    far = [i for i in active if i.city != "常州市"]
    grants, orders = [], []
    plan = [(c, rng.choice(local)) for c in LOCAL_CONTRACTS] + [
        (c, rng.choice(far)) for c in CROSS_CONTRACTS
    ]
    for firm in firms[: len(plan)]:
        grants.append(VoucherGrant(enterprise=firm, granted_on=dt.date(2024, 1, 20),
                                   use_by=dt.date(2024, 12, 31), quota=D(50),
                                   redeemed_amount=D(0), is_demo=True))  # fmt: skip
    VoucherGrant.objects.unscoped().bulk_create(grants)
    grants = list(VoucherGrant.objects.unscoped().filter(is_demo=True).order_by("pk"))
    statuses = ("effective", "performing", "accepted")
    for n, (grant, (contract, institution)) in enumerate(zip(grants, plan, strict=True)):
        share = min((contract * D("0.3")).quantize(D("0.1")), D(30))
        kind = institution.service_types[0]
        effective = _day(rng, dt.date(2024, 2, 1), dt.date(2024, 6, 30))
        redeemed = contract in REDEEMED
        accepted = effective + dt.timedelta(days=rng.randint(20, 60))
        status = "redeemed" if redeemed else statuses[n % 3]
        orders.append(
            VoucherOrder(
                grant=grant,
                institution=institution,
                service_type=kind,
                title=SERVICES[kind][1],
                contract_amount=contract,
                voucher_share=share,
                status=status,
                initiated_on=effective - dt.timedelta(days=6),
                effective_on=effective,
                accepted_on=accepted if status in ("accepted", "redeemed") else None,
                redeemed_on=min(accepted + dt.timedelta(days=15), SEED_END) if redeemed else None,
                redeemed_amount=share if redeemed else D(0),
                is_cross_region=services.is_cross_region(institution),
                is_demo=True,
            )
        )
        if redeemed:
            grant.redeemed_amount = share
    VoucherGrant.objects.unscoped().bulk_update(grants, ["redeemed_amount"])
    # Not counted: two orders still 发起 and one 作废 in 2024, and this year's running orders.
    extra = firms[20:26]
    more_grants = [
        VoucherGrant(
            enterprise=firm,
            granted_on=_after_seed(today - dt.timedelta(days=120)),
            use_by=today + dt.timedelta(days=240),
            quota=D(40),
            redeemed_amount=D(0),
            is_demo=True,
        )  # fmt: skip
        for firm in extra
    ]
    VoucherGrant.objects.unscoped().bulk_create(more_grants)
    more_grants = list(
        VoucherGrant.objects.unscoped().filter(is_demo=True).order_by("pk")[len(grants) :]
    )
    for n, grant in enumerate(more_grants):
        institution = far[n % len(far)] if n % 2 else local[n % len(local)]
        kind = institution.service_types[0]
        status = ("initiated", "effective", "performing")[n % 3]
        initiated = grant.granted_on + dt.timedelta(days=10 + n)
        orders.append(
            VoucherOrder(
                grant=grant,
                institution=institution,
                service_type=kind,
                title=SERVICES[kind][1],
                contract_amount=D(20 + 5 * n),
                voucher_share=D(6 + n),
                status=status,
                initiated_on=initiated,
                effective_on=None if status == "initiated" else initiated + dt.timedelta(days=5),
                redeemed_amount=D(0),
                is_cross_region=services.is_cross_region(institution),
                is_demo=True,
            )
        )
    for n, status in enumerate(("initiated", "initiated", "void")):
        grant = grants[n]
        institution = local[n]
        kind = institution.service_types[0]
        orders.append(
            VoucherOrder(
                grant=grant,
                institution=institution,
                service_type=kind,
                title=SERVICES[kind][1],
                contract_amount=D(10),
                voucher_share=D(3),
                status=status,
                initiated_on=dt.date(2024, 8, 20),
                void_reason="企业取消采购（示例）" if status == "void" else "",
                redeemed_amount=D(0),
                is_cross_region=services.is_cross_region(institution),
                is_demo=True,
            )
        )
    VoucherOrder.objects.unscoped().bulk_create(orders)


def _rounds(admin: User, rng: random.Random, today: dt.date, youci: Enterprise | None,
            firms: list[Enterprise]) -> None:  # fmt: skip
    if youci is not None:
        # The seed: "即将完成新一轮2800万元融资" (autumn 2024); investors, valuation synthetic.
        services.round_record(
            actor=admin,
            enterprise=youci,
            round_name="a",
            closed_on=dt.date(2024, 12, 20),
            amount=D(2800),
            investors="产业投资基金等（示例）",
            post_money_valuation=D(28000),
        )
    names = ("angel", "pre_a", "a", "b")
    for n, firm in enumerate(firms):
        amount = D(rng.randint(5, 60) * 100)
        services.round_record(
            actor=admin,
            enterprise=firm,
            round_name=names[n % len(names)],
            closed_on=_after_seed(today - dt.timedelta(days=rng.randint(10, 700))),
            amount=amount,
            investors=rng.choice(
                ("区产业引导基金（示例）", "创投机构（示例）", "天使投资人（示例）")
            ),
            post_money_valuation=amount * rng.randint(5, 12),
        )
    EquityRound.objects.unscoped().update(is_demo=True)


BORROWERS = 210


def _borrowers(rng: random.Random, real_names: frozenset[str]) -> list[Enterprise]:
    """Synthetic demo enterprises to borrow, order and raise (never a seed-named firm).

    The seed's figures need 210 distinct firms (71 + 49 borrowers in 2024, history, vouchers,
    rounds); the full demo has ~2,000. A smaller demo reuses firms: its amounts still match,
    its enterprise counts are lower.
    """
    firms = list(
        Enterprise.objects.unscoped()
        .filter(is_demo=True)
        .exclude(name__in=real_names)
        .order_by("pk")[: BORROWERS * 3]
    )
    rng.shuffle(firms)
    if firms and len(firms) < BORROWERS:
        firms = (firms * (BORROWERS // len(firms) + 1))[:BORROWERS]
    return firms


@transaction.atomic
def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Load the finance demo once (a second run adds nothing)."""
    today = today or timezone.localdate()
    if Loan.objects.unscoped().filter(is_demo=True).exists():
        return demo_counts()
    rng = random.Random(seed + 8)
    pool, wukedai, huikeqi, banks = _reference(today)
    firms = _borrowers(rng, real_names)
    if not firms:
        return demo_counts()
    youci = Enterprise.objects.unscoped().filter(name=YOUCI).first()
    _loans(rng, today, pool, wukedai, huikeqi, banks, firms[:170], youci)
    institutions = _institutions(rng)
    _vouchers(rng, today, institutions, firms[170:200])
    _rounds(admin, rng, today, youci, firms[200:210])
    return demo_counts()


def demo_counts() -> dict[str, int]:
    """What the 科技金融 demo holds (for the seed command's summary)."""
    return {
        "科技贷款": Loan.objects.unscoped().filter(is_demo=True).count(),
        "双创券服务机构": ServiceInstitution.objects.filter(is_demo=True).count(),
        "双创券订单": VoucherOrder.objects.unscoped().filter(is_demo=True).count(),
        "股权融资": EquityRound.objects.unscoped().filter(is_demo=True).count(),
    }
