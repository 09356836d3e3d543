"""Demo data of 政策兑现 (示例数据): the 2024 entitlements computed from the demo's records.

* the bundled example rule set (marked 示例规则, not an official text) and its budgets;
* a 2024 科普和学术 call already decided (软科学 ≤ 3,000元 and 科普 grants to enterprises);
* one 高企 that moved into the district in 2024 (a landed lead), so 高企招引 and 就高不重复 show;
* the 2024 测算 as the admin; each 板块 officer confirms most of theirs (one is returned with a
  reason); the admin approves within budget; one publicity list ended weeks ago and most of it
  is paid, a second list is open today; the enterprises paid have confirmed bank accounts;

Dates are relative to the load day. Idempotent: nothing is added once the 2024 run exists.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.attraction.models import Lead, Stage, StageChange
from xinzhi.calls.models import Application, Call, Category
from xinzhi.enterprises.models import Enterprise
from xinzhi.rewards import services
from xinzhi.rewards.choices import EntitlementStatus
from xinzhi.rewards.models import BankAccount, BudgetLine, Entitlement, Payment, Publicity

YEAR = 2024
CALL_NAME = "2024年度科普和学术项目（已立项）"
LANDED_ON = dt.date(2024, 7, 18)
# The enterprise side is tried as `qiye2`, the portal demo's manager of this firm; it gets
# no invented entitlement.
ENTERPRISE_USER_FIRM = "常州优磁科技有限公司"
BANKS = (
    "江苏江南农村商业银行武进支行",
    "中国工商银行常州武进支行",
    "中国银行常州武进支行",
    "交通银行常州武进支行",
    "招商银行常州武进支行",
)
S = EntitlementStatus


def _science_call(rng: random.Random, real_names: frozenset[str]) -> int:
    """A decided 2024 科普和学术 call with grants to enterprises (软科学 capped at 3,000元)."""
    if Call.objects.filter(name=CALL_NAME).exists():
        return 0
    tz = timezone.get_current_timezone()
    call = Call.objects.create(
        name=CALL_NAME,
        kind="science_academic",
        year=YEAR,
        description="区科协科普和学术项目（示例数据）。",
        opens_at=dt.datetime(2024, 3, 1, 9, tzinfo=tz),
        closes_at=dt.datetime(2024, 4, 15, 17, tzinfo=tz),
        stage="final",
        results_published_at=dt.datetime(2024, 9, 20, 9, tzinfo=tz),
        is_demo=True,
    )
    soft = Category.objects.create(
        call=call,
        name="软科学课题研究",
        cap_yuan=Decimal(3000),
        description="区科协择优配套资助最高不超过3000元。",
    )
    science = Category.objects.create(call=call, name="科学普及活动开展", cap_yuan=Decimal(20000))
    firms = list(
        Enterprise.objects.unscoped()
        .filter(is_demo=True, titles__title="hnte")
        .exclude(name__in=[ENTERPRISE_USER_FIRM, *real_names])
        .order_by("id")
        .distinct()[:400]
    )
    chosen = rng.sample(firms, min(len(firms), 8))  # a small demo may have fewer
    grants = [
        (soft, 3000, "产业创新生态研究"),
        (soft, 2000, "科技型企业梯度培育机制研究"),
        (soft, 3000, "“两湖”创新区人才政策研究"),
        (science, 15000, "青少年新能源科普进校园"),
        (science, 20000, "全国科普日企业开放日"),
        (science, 8000, "智能制造科普展"),
        (science, 12000, "低空经济科普讲堂"),
        (science, 10000, "科技工作者日专题活动"),
    ]
    decided = dt.datetime(2024, 9, 20, 10, tzinfo=tz)
    for n, (firm, (category, amount, title)) in enumerate(zip(chosen, grants, strict=False), 1):
        Application.objects.unscoped().create(
            call=call,
            category=category,
            number=f"KP2024-{n:03d}",
            title=title,
            enterprise=firm,
            applicant_name=firm.name,
            applicant_jurisdiction=firm.jurisdiction,
            status="approved",
            submitted_at=dt.datetime(2024, 4, 1, 10, tzinfo=tz),
            requested_amount_yuan=Decimal(amount),
            grant_amount_yuan=Decimal(amount),
            decided_at=decided,
            decision_note="同意立项",
            is_demo=True,
        )
    return 8


def _landed_hnte(real_names: frozenset[str]) -> int:
    """A 高企 that moved into the district in 2024 (高企招引): landed on 18 July, in 投产 since
    November, so it is neither stale nor due for a follow-up."""
    registered = Stage.objects.filter(code="registered").first()
    production = Stage.objects.filter(code="production").first()
    if registered is None or production is None:
        return 0
    firm = (
        Enterprise.objects.unscoped()
        .filter(
            is_demo=True,
            titles__title="hnte",
            titles__valid_from__year=YEAR,
            titles__valid_from__lt=LANDED_ON,
            titles__valid_until__gte=LANDED_ON,
        )
        .exclude(name__in=[ENTERPRISE_USER_FIRM, *real_names])  # no invented facts about real firms
        .order_by("id")
        .first()
    )
    if firm is None or Lead.objects.unscoped().filter(enterprise=firm).exists():
        return 0
    producing = LANDED_ON + dt.timedelta(days=120)
    lead = Lead.objects.unscoped().create(
        name=f"{firm.name}整体迁入项目",
        summary="外地高新技术企业整体迁入武进（示例数据）。",
        source_region="上海",
        channel="office",
        jurisdiction=firm.jurisdiction,
        enterprise=firm,
        stage=production,
        stage_entered_on=producing,
        last_activity_on=producing,
        is_demo=True,
    )
    for stage, on, note in ((registered, LANDED_ON, "落地注册"), (production, producing, "投产")):
        StageChange.objects.unscoped().create(
            lead=lead, to_stage=stage, changed_on=on, actor_name="系统", note=note, is_demo=True
        )
    return 1


def _bank(firm: Enterprise, rng: random.Random) -> None:
    if not BankAccount.objects.unscoped().filter(enterprise=firm).exists():
        BankAccount.objects.unscoped().create(
            enterprise=firm,
            account_name=firm.name,
            bank_name=rng.choice(BANKS),
            account_no=f"6228{rng.randrange(10**12):012d}",
            confirmed_at=timezone.now(),
            is_demo=True,
        )


def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(seed + 16)
    services.policies_load_bundled(actor=admin)
    if Entitlement.objects.unscoped().filter(year=YEAR).exists():
        return {}
    _science_call(rng, real_names)
    _landed_hnte(real_names)
    services.entitlement_run(actor=admin, year=YEAR)
    rows = Entitlement.objects.unscoped().filter(year=YEAR, status=S.CALCULATED).order_by("id")
    # Each 板块 officer confirms most of theirs and returns one with a reason; the admin
    # confirms a share of the 板块 without an officer.
    for officer in User.objects.filter(
        role=Role.OFFICER, is_active=True, jurisdiction__isnull=False
    ):
        mine = list(
            rows.filter(jurisdiction_id__in=officer.visible_jurisdiction_ids()).values_list(
                "pk", "enterprise__name"
            )
        )
        # One returned with a reason, never a seed-named (real) firm's.
        synthetic = [pk for pk, name in mine if name not in real_names]
        if synthetic:
            services.entitlement_return(
                actor=officer,
                entitlement=Entitlement.all_objects.get(pk=synthetic[-1]),
                reason="注册地址与所属板块不一致，请核实后再确认",
            )
        mine = [pk for pk, _ in mine if not synthetic or pk != synthetic[-1]]
        if not mine:
            continue
        services.entitlements_confirm(actor=officer, ids=mine[: max(1, len(mine) * 4 // 5)])
    rest = list(rows.filter(status=S.CALCULATED).values_list("pk", flat=True))
    services.entitlements_confirm(actor=admin, ids=rest[: len(rest) * 3 // 5])
    confirmed = list(
        Entitlement.objects.unscoped()
        .filter(year=YEAR, status=S.CONFIRMED)
        .order_by("id")
        .values_list("pk", "budget_line_id", "amount_yuan")
    )
    # Approve within each line's budget (the override stays for a real decision).
    room = {}
    approve = []
    for pk, line_id, amount in confirmed[: len(confirmed) * 4 // 5]:
        if line_id not in room:
            room[line_id] = services.budget_usage(BudgetLine.objects.get(pk=line_id))["remaining"]
        if amount <= room[line_id]:
            room[line_id] -= amount
            approve.append(pk)
    services.entitlements_approve(actor=admin, ids=approve)
    rng.shuffle(approve)
    first, second = (
        sorted(approve[: len(approve) * 3 // 5]),
        sorted(approve[len(approve) * 3 // 5 :]),
    )
    if not first or not second:
        return demo_counts()
    ended = services.publicity_create(
        actor=admin,
        year=YEAR,
        title="2024年度科技奖补兑现名单公示（第一批）",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=23),
        contact="区科技局政策法规科 0519-8631XXXX（示例）",
        ids=first,
        is_demo=True,
    )
    services.publicity_create(
        actor=admin,
        year=YEAR,
        title="2024年度科技奖补兑现名单公示（第二批）",
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=5),
        contact="区科技局政策法规科 0519-8631XXXX（示例）",
        ids=second,
        is_demo=True,
    )
    for pk in first[: len(first) * 4 // 5]:
        row = Entitlement.all_objects.select_related("enterprise").get(pk=pk)
        _bank(row.enterprise, rng)
        on = ended.ends_on + dt.timedelta(days=rng.randint(3, 20))
        services.payment_record(
            actor=admin,
            entitlement=row,
            paid_on=min(on, today),
            voucher_no=f"WJKJ{YEAR}-{pk:05d}",
            today=today,
            is_demo=True,
        )
    return demo_counts()


def demo_counts() -> dict[str, int]:
    entitled = (
        Entitlement.objects.unscoped()
        .filter(is_demo=True)
        .exclude(status__in=[S.EXCLUDED, S.WITHDRAWN])
    )
    return {
        "兑现事项": entitled.count(),
        "公示名单": Publicity.objects.filter(is_demo=True).count(),
        "已拨付": Payment.objects.unscoped().filter(is_demo=True).count(),
        "已拨付金额（万元）": int(
            (
                Payment.objects.unscoped().filter(is_demo=True).aggregate(s=Sum("amount_yuan"))["s"]
                or 0
            )
            / 10000
        ),
    }
